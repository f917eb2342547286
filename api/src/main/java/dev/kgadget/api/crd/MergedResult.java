package dev.kgadget.api.crd;

import dev.kgadget.api.result.Histogram;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code status.result}: the nodes' results merged into one, as the operator writes it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MergedResult {
    @JsonPropertyDescription("Histograms with the same label and unit summed bucket-wise across nodes")
    private List<HistogramSummary> histograms;

    @JsonPropertyDescription("Rows with the same name and pid summed across nodes, highest count first")
    private List<CountSummary> counts;

    @JsonPropertyDescription("Events received from the kernel, all nodes")
    private Long eventCount;

    @JsonPropertyDescription("Events the kernel could not hand over, all nodes")
    private Long lostEvents;

    @JsonPropertyDescription("In-kernel cost per BPF program run in ns, over all nodes")
    private Double kernelNsPerEvent;

    /** {@link #merge(Collection, int)} without a row limit. */
    public static MergedResult merge(Collection<NodeStatusEntry> nodes) {
        return merge(nodes, Integer.MAX_VALUE);
    }

    /**
     * Merges the given node entries (the caller picks which, typically the finished ones):
     * <ul>
     * <li>histograms with the same label and unit are summed bucket-wise (first-seen order), their
     * count and percentiles recomputed from the merged buckets;</li>
     * <li>count rows with the same name and pid are summed (totalNs stays null only when no node
     * measured it), sorted by count, highest first (then name, then pid), and cut to
     * {@code maxCountRows};</li>
     * <li>events and lost events are summed;</li>
     * <li>kernelNsPerEvent is the mean of the nodes' values weighted by their programRuns (by
     * events when a node has no programRuns): total kernel time over total runs.</li>
     * </ul>
     * A merge of no entries has empty lists and zero totals; kernelNsPerEvent is null when no node
     * reported it.
     */
    public static MergedResult merge(Collection<NodeStatusEntry> nodes, int maxCountRows) {
        if (maxCountRows < 0) {
            throw new IllegalArgumentException("maxCountRows " + maxCountRows + " < 0");
        }
        Map<List<String>, Histogram> histograms = new LinkedHashMap<>();
        Map<CountKey, long[]> counts = new LinkedHashMap<>();
        Map<CountKey, Boolean> timed = new LinkedHashMap<>();
        long events = 0;
        long lost = 0;
        double weightedNs = 0;
        double weights = 0;
        double plainNs = 0;
        int costs = 0;
        for (NodeStatusEntry node : nodes) {
            for (HistogramSummary h : orEmpty(node.getHistograms())) {
                Histogram histogram = h.toHistogram();
                histograms.merge(List.of(histogram.label(), histogram.unit()), histogram, Histogram::plus);
            }
            for (CountSummary c : orEmpty(node.getCounts())) {
                CountKey key = new CountKey(c.getName(), c.getPid());
                long[] sum = counts.computeIfAbsent(key, k -> new long[2]);
                sum[0] += orZero(c.getCount());
                sum[1] += orZero(c.getTotalNs());
                timed.merge(key, c.getTotalNs() != null, Boolean::logicalOr);
            }
            events += orZero(node.getEvents());
            lost += orZero(node.getLostEvents());
            if (node.getKernelNsPerEvent() != null) {
                long weight = node.getProgramRuns() != null ? node.getProgramRuns() : orZero(node.getEvents());
                weightedNs += node.getKernelNsPerEvent() * weight;
                weights += weight;
                plainNs += node.getKernelNsPerEvent();
                costs++;
            }
        }

        MergedResult r = new MergedResult();
        r.histograms = histograms.values().stream().map(HistogramSummary::of).toList();
        r.counts = counts.entrySet().stream()
                .map(e -> new CountSummary(e.getKey().name(), e.getKey().pid(), e.getValue()[0],
                        timed.get(e.getKey()) ? e.getValue()[1] : null))
                .sorted(Comparator.comparing(CountSummary::getCount, Comparator.reverseOrder())
                        .thenComparing(CountSummary::getName, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(CountSummary::getPid, Comparator.nullsFirst(Comparator.naturalOrder())))
                .limit(maxCountRows)
                .toList();
        r.eventCount = events;
        r.lostEvents = lost;
        r.kernelNsPerEvent = costs == 0 ? null : weights > 0 ? weightedNs / weights : plainNs / costs;
        return r;
    }

    private record CountKey(String name, Integer pid) {
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    public List<HistogramSummary> getHistograms() {
        return histograms;
    }

    public void setHistograms(List<HistogramSummary> histograms) {
        this.histograms = histograms;
    }

    public List<CountSummary> getCounts() {
        return counts;
    }

    public void setCounts(List<CountSummary> counts) {
        this.counts = counts;
    }

    public Long getEventCount() {
        return eventCount;
    }

    public void setEventCount(Long eventCount) {
        this.eventCount = eventCount;
    }

    public Long getLostEvents() {
        return lostEvents;
    }

    public void setLostEvents(Long lostEvents) {
        this.lostEvents = lostEvents;
    }

    public Double getKernelNsPerEvent() {
        return kernelNsPerEvent;
    }

    public void setKernelNsPerEvent(Double kernelNsPerEvent) {
        this.kernelNsPerEvent = kernelNsPerEvent;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MergedResult m && Objects.equals(histograms, m.histograms)
                && Objects.equals(counts, m.counts) && Objects.equals(eventCount, m.eventCount)
                && Objects.equals(lostEvents, m.lostEvents) && Objects.equals(kernelNsPerEvent, m.kernelNsPerEvent);
    }

    @Override
    public int hashCode() {
        return Objects.hash(histograms, counts, eventCount, lostEvents, kernelNsPerEvent);
    }

    @Override
    public String toString() {
        return "MergedResult{histograms=" + histograms + ", counts=" + counts + ", eventCount=" + eventCount
                + ", lostEvents=" + lostEvents + ", kernelNsPerEvent=" + kernelNsPerEvent + "}";
    }
}
