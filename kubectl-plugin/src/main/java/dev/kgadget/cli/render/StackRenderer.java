package dev.kgadget.cli.render;

import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.stacks.FlameGraph;
import dev.kgadget.api.stacks.FoldedStacks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stack gadgets (profile, offcputime): folded stacks as text, and the flame graph SVG. */
public final class StackRenderer {
    private StackRenderer() {
    }

    public static Map<String, Long> folded(List<CountRow> rows) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (CountRow r : rows) {
            out.merge(r.name(), r.count(), Long::sum);
        }
        return out;
    }

    /** One folded line per stack, largest first (flamegraph.pl and speedscope read it). */
    public static void render(GadgetResult result, Appendable out) {
        for (String line : FoldedStacks.lines(folded(result.counts()))) {
            TextOut.line(out, line);
        }
    }

    /** {@code stacks 12  total 2391 samples  lost 0  kernel 412 ns/event}. */
    public static String summary(GadgetResult result) {
        long total = result.counts().stream().mapToLong(CountRow::count).sum();
        return "stacks " + result.counts().size() + "  total " + total + " " + FoldedStacks.unit(result.gadget()) + "  " + RunFooter.of(result);
    }

    /** --svg is for stack gadgets, into a directory that exists: checked before anything runs (exit 2). */
    public static void checkSvg(Path svg, dev.kgadget.api.catalog.GadgetDescriptor gadget) {
        if (svg == null) {
            return;
        }
        if (gadget.output() != dev.kgadget.api.catalog.OutputKind.STACKS) {
            throw new dev.kgadget.api.catalog.InvalidParameterException("--svg: " + gadget.name()
                    + " has no stacks to draw (profile and offcputime do)");
        }
        Path dir = svg.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new dev.kgadget.api.catalog.InvalidParameterException("--svg " + svg + ": no writable directory " + dir);
        }
    }

    public static void writeSvg(Path file, Map<String, Long> folded, String title, String unit) {
        try {
            Files.writeString(file, FlameGraph.svg(folded, title, unit), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
