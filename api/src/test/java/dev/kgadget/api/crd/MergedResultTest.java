package dev.kgadget.api.crd;

import dev.kgadget.api.result.Histogram;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MergedResultTest {

    private static HistogramSummary hist(String label, String unit, long... buckets) {
        return HistogramSummary.of(new Histogram(label, unit, buckets));
    }

    private static NodeStatusEntry node(String name, long events, long lost, Double ns, Long runs) {
        NodeStatusEntry n = new NodeStatusEntry(name);
        n.setPhase(NodeTracePhase.Succeeded);
        n.setEvents(events);
        n.setLostEvents(lost);
        n.setKernelNsPerEvent(ns);
        n.setProgramRuns(runs);
        return n;
    }

    @Test
    void histogramsWithTheSameLabelAndUnitAreSummedBucketWise() {
        NodeStatusEntry a = node("a", 6, 0, null, null);
        a.setHistograms(List.of(hist("all", "usecs", 1, 2, 3), hist("all", "msecs", 0, 1)));
        NodeStatusEntry b = node("b", 8, 0, null, null);
        b.setHistograms(List.of(hist("all", "usecs", 0, 0, 1, 5), hist("sda", "usecs", 2)));

        MergedResult r = MergedResult.merge(List.of(a, b));

        assertThat(r.getHistograms()).extracting(HistogramSummary::getLabel, HistogramSummary::getUnit)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("all", "usecs"),
                        org.assertj.core.groups.Tuple.tuple("all", "msecs"),
                        org.assertj.core.groups.Tuple.tuple("sda", "usecs"));
        HistogramSummary all = r.getHistograms().get(0);
        assertThat(all.getBuckets()).containsExactly(1L, 2L, 4L, 5L);
        assertThat(all.getCount()).isEqualTo(12L);
        // rank 6: 3/4 into bucket 2 (4..7); rank 10.8: 0.76 into bucket 3 (8..15); rank 11.88: 0.976
        assertThat(all.getP50()).isEqualTo(7.0);
        assertThat(all.getP90()).isEqualTo(14.1);
        assertThat(all.getP99()).isEqualTo(15.8);
        assertThat(r.getHistograms().get(1).getBuckets()).containsExactly(0L, 1L);
        assertThat(r.getHistograms().get(1).getCount()).isEqualTo(1L);
        assertThat(r.getHistograms().get(2).getBuckets()).containsExactly(2L);
        assertThat(r.getCounts()).isEmpty();
    }

    @Test
    void countsAreSummedByNameAndPidThenSortedHighestFirst() {
        NodeStatusEntry a = node("a", 0, 0, null, null);
        a.setCounts(List.of(
                new CountSummary("read", null, 10L, 1000L),
                new CountSummary("write", null, 5L, null),
                new CountSummary("nginx", 101, 3L, null)));
        NodeStatusEntry b = node("b", 0, 0, null, null);
        b.setCounts(List.of(
                new CountSummary("read", null, 7L, 500L),
                new CountSummary("close", null, 12L, null),
                new CountSummary("nginx", 100, 3L, null)));

        assertThat(MergedResult.merge(List.of(a, b)).getCounts()).containsExactly(
                new CountSummary("read", null, 17L, 1500L),
                new CountSummary("close", null, 12L, null),
                new CountSummary("write", null, 5L, null),
                new CountSummary("nginx", 100, 3L, null),
                new CountSummary("nginx", 101, 3L, null));
        assertThat(MergedResult.merge(List.of(a, b), 2).getCounts()).containsExactly(
                new CountSummary("read", null, 17L, 1500L),
                new CountSummary("close", null, 12L, null));
        assertThat(MergedResult.merge(List.of(a, b), 0).getCounts()).isEmpty();
        assertThatThrownBy(() -> MergedResult.merge(List.of(a), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void totalsAndKernelCostWeightedByProgramRuns() {
        MergedResult r = MergedResult.merge(List.of(
                node("a", 100, 1, 100.0, 1000L),
                node("b", 50, 2, 300.0, 3000L)));
        assertThat(r.getEventCount()).isEqualTo(150L);
        assertThat(r.getLostEvents()).isEqualTo(3L);
        // (100 ns * 1000 runs + 300 ns * 3000 runs) / 4000 runs
        assertThat(r.getKernelNsPerEvent()).isEqualTo(250.0);
    }

    @Test
    void kernelCostWeightedByEventsWithoutProgramRuns() {
        MergedResult r = MergedResult.merge(List.of(
                node("a", 100, 0, 100.0, null),
                node("b", 300, 0, 400.0, null),
                node("c", 999, 0, null, null)));
        // (100 * 100 + 400 * 300) / 400; c reported no cost
        assertThat(r.getKernelNsPerEvent()).isEqualTo(325.0);
        assertThat(r.getEventCount()).isEqualTo(1399L);
    }

    @Test
    void mergingNothing() {
        MergedResult r = MergedResult.merge(List.of());
        assertThat(r.getHistograms()).isEmpty();
        assertThat(r.getCounts()).isEmpty();
        assertThat(r.getEventCount()).isZero();
        assertThat(r.getLostEvents()).isZero();
        assertThat(r.getKernelNsPerEvent()).isNull();
    }
}
