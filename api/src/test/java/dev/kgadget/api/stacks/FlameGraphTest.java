package dev.kgadget.api.stacks;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FlameGraphTest {
    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** frame title -> rect width, for every drawn frame. */
    private static Map<String, Double> frames(Document d) {
        Map<String, Double> out = new LinkedHashMap<>();
        NodeList gs = d.getElementsByTagName("g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (!"f".equals(g.getAttribute("class"))) {
                continue;
            }
            String title = g.getElementsByTagName("title").item(0).getTextContent();
            double w = Double.parseDouble(((Element) g.getElementsByTagName("rect").item(0)).getAttribute("width"));
            out.put(title, w);
        }
        return out;
    }

    @Test
    void framesAreAsWideAsTheirShareAndCallersSitBelowCallees() throws Exception {
        Map<String, Long> folded = new LinkedHashMap<>();
        folded.put("app;main;work;hot", 75L);
        folded.put("app;main;work;cold", 20L);
        folded.put("app;main;idle", 5L);
        Document d = parse(FlameGraph.svg(folded, "profile of shop/app (samples)", "samples"));
        Map<String, Double> f = frames(d);
        double full = FlameGraph.WIDTH - 2.0 * FlameGraph.PAD_SIDE;
        assertThat(f.get("all (100 samples, 100.00%)")).isCloseTo(full, org.assertj.core.data.Offset.offset(0.1));
        assertThat(f.get("main (100 samples, 100.00%)")).isCloseTo(full, org.assertj.core.data.Offset.offset(0.1));
        assertThat(f.get("hot (75 samples, 75.00%)")).isCloseTo(full * 0.75, org.assertj.core.data.Offset.offset(0.1));
        assertThat(f.get("cold (20 samples, 20.00%)")).isCloseTo(full * 0.20, org.assertj.core.data.Offset.offset(0.1));
        assertThat(f).hasSize(7);
        // hot is drawn above work, which is above main
        List<Double> ys = new ArrayList<>();
        NodeList rects = d.getElementsByTagName("rect");
        for (int i = 1; i < rects.getLength(); i++) {
            ys.add(Double.parseDouble(((Element) rects.item(i)).getAttribute("y")));
        }
        assertThat(ys.get(0)).isGreaterThan(ys.get(1)); // all below app
        assertThat(d.getDocumentElement().getTextContent()).contains("profile of shop/app (samples)");
        assertThat(d.getElementsByTagName("script").getLength()).isEqualTo(1);
    }

    @Test
    void namesAreEscapedAndTinyFramesLeftOut() throws Exception {
        Map<String, Long> folded = new LinkedHashMap<>();
        folded.put("a&b;operator<<(std::ostream&, \"x\")", 1_000_000L);
        folded.put("a&b;tiny", 1L);
        Document d = parse(FlameGraph.svg(folded, "t <&>", "us"));
        Map<String, Double> f = frames(d);
        assertThat(f).containsKey("operator<<(std::ostream&, \"x\") (1000000 us, 100.00%)");
        assertThat(f.keySet()).noneMatch(k -> k.startsWith("tiny"));
    }

    @Test
    void noStacksIsStillAValidDocument() throws Exception {
        Document d = parse(FlameGraph.svg(Map.of(), "empty", "samples"));
        assertThat(frames(d)).isEmpty();
    }

    @Test
    void foldedStacksMergeByKeyAndPrintLargestFirst() {
        Map<String, Long> a = Map.of("x;y", 3L, "x;z", 1L);
        Map<String, Long> b = Map.of("x;y", 4L);
        Map<String, Long> merged = FoldedStacks.merge(List.of(a, b));
        assertThat(merged).containsEntry("x;y", 7L).containsEntry("x;z", 1L);
        assertThat(FoldedStacks.lines(merged)).containsExactly("x;y 7", "x;z 1");
        assertThat(FoldedStacks.parse(List.of("x;y 7", "", "x;y 1"))).containsExactly(Map.entry("x;y", 8L));
    }
}
