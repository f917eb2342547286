package dev.kgadget.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.Histogram;
import dev.kgadget.api.result.ProgramCost;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class HistogramRendererTest {
    private final HistogramRenderer renderer = new HistogramRenderer();

    private String render(GadgetResult result) {
        StringBuilder sb = new StringBuilder();
        renderer.render(result, sb);
        return sb.toString();
    }

    @Test
    void oneHistogramLooksLikeBccBiolatency() {
        assertThat(render(Results.biolatency())).isEqualTo(Golden.read("histogram-biolatency.txt"));
    }

    @Test
    void perDiskHistogramsAreLabelledAndSummedUp() {
        GadgetResult result = Results.histograms(Map.of("per-disk", true),
                List.of(new Histogram("vda", "usecs", new long[] {0, 0, 0, 0, 0, 0, 0, 12, 0, 0}),
                        new Histogram("vdb", "usecs", new long[] {0, 0, 0, 0, 3, 6, 1})),
                2, List.of());
        assertThat(render(result)).isEqualTo(Golden.read("histogram-per-disk.txt"));
    }

    @Test
    void perProcessLabelsAcceptBothSpellings() {
        GadgetResult result = Results.histograms(Map.of("per-process", true, "milliseconds", true),
                List.of(new Histogram("nginx [1234]", "msecs", new long[] {3, 1, 0, 1}),
                        new Histogram("postgres[77]", "msecs", new long[] {7})),
                0, List.of(new ProgramCost("sched_switch", 1000, 123_456, 0)));
        assertThat(render(result)).isEqualTo(Golden.read("histogram-per-process.txt"));
    }

    @Test
    void valuesPastTwoToThe32UseBccsWideLayout() {
        long[] buckets = new long[34];
        buckets[0] = 1;
        buckets[20] = 3;
        buckets[33] = 4;
        GadgetResult result = Results.histograms(Map.of(), List.of(new Histogram("all", "nsecs", buckets)), 0,
                List.of(new ProgramCost("p", 10, 1000, 0)));
        assertThat(render(result)).isEqualTo(Golden.read("histogram-wide.txt"));
    }

    @Test
    void anEmptyRunPrintsOnlyTheSummary() {
        GadgetResult empty = Results.histograms(Map.of(), List.of(new Histogram("all", "usecs", new long[27])), 0,
                List.of());
        assertThat(render(empty)).isEqualTo("count 0  p50 -  p90 -  p99 -  lost 0  kernel - ns/event\n");
        GadgetResult none = Results.histograms(Map.of(), List.of(), 0, List.of());
        assertThat(render(none)).isEqualTo("count 0  p50 -  p90 -  p99 -  lost 0  kernel - ns/event\n");
    }

    @Test
    void barsRoundDownLikeBcc() {
        assertThat(HistogramRenderer.bar(1, 3, 40)).isEqualTo("*".repeat(13) + " ".repeat(27));
        assertThat(HistogramRenderer.bar(0, 3, 40)).isBlank().hasSize(40);
        assertThat(HistogramRenderer.bar(Long.MAX_VALUE, Long.MAX_VALUE, 40)).isEqualTo("*".repeat(40));
    }
}
