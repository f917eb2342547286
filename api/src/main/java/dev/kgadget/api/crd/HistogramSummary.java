package dev.kgadget.api.crd;

import dev.kgadget.api.result.Histogram;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A log2 histogram as it appears in the status: bcc's buckets (bucket 0 holds 0..1, bucket k
 * holds 2^k..2^(k+1)-1, trailing empty buckets dropped) with its count and percentile
 * estimates. {@link #of} and {@link #toHistogram} convert from and to the result model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistogramSummary {
    @JsonPropertyDescription("What the histogram is of: all, a disk, or comm [pid]")
    private String label;

    @JsonPropertyDescription("usecs, msecs or nsecs")
    private String unit;

    @JsonPropertyDescription("Counts per log2 bucket: bucket 0 holds 0..1, bucket k holds 2^k..2^(k+1)-1")
    private List<Long> buckets;

    @JsonPropertyDescription("Values recorded")
    private Long count;

    @JsonPropertyDescription("Median, estimated within its bucket")
    private Double p50;

    @JsonPropertyDescription("90th percentile, estimated within its bucket")
    private Double p90;

    @JsonPropertyDescription("99th percentile, estimated within its bucket")
    private Double p99;

    public HistogramSummary() {
    }

    /** The status form of a histogram, its trailing empty buckets dropped. */
    public static HistogramSummary of(Histogram histogram) {
        long[] b = histogram.buckets();
        List<Long> buckets = new ArrayList<>(histogram.lastNonEmpty() + 1);
        for (int i = 0; i <= histogram.lastNonEmpty(); i++) {
            buckets.add(b[i]);
        }
        HistogramSummary s = new HistogramSummary();
        s.label = histogram.label();
        s.unit = histogram.unit();
        s.buckets = buckets;
        s.count = histogram.count();
        s.p50 = histogram.p50();
        s.p90 = histogram.p90();
        s.p99 = histogram.p99();
        return s;
    }

    /** Back to the result model (count and percentiles are recomputed from the buckets). */
    public Histogram toHistogram() {
        List<Long> b = buckets == null ? List.of() : buckets;
        long[] counts = new long[b.size()];
        for (int i = 0; i < counts.length; i++) {
            Long v = b.get(i);
            counts[i] = v == null ? 0 : v;
        }
        return new Histogram(label == null ? "" : label, unit == null ? "" : unit, counts);
    }

    public String getLabel() {
        return label;
    }

    public void setLabel(String label) {
        this.label = label;
    }

    public String getUnit() {
        return unit;
    }

    public void setUnit(String unit) {
        this.unit = unit;
    }

    public List<Long> getBuckets() {
        return buckets;
    }

    public void setBuckets(List<Long> buckets) {
        this.buckets = buckets;
    }

    public Long getCount() {
        return count;
    }

    public void setCount(Long count) {
        this.count = count;
    }

    public Double getP50() {
        return p50;
    }

    public void setP50(Double p50) {
        this.p50 = p50;
    }

    public Double getP90() {
        return p90;
    }

    public void setP90(Double p90) {
        this.p90 = p90;
    }

    public Double getP99() {
        return p99;
    }

    public void setP99(Double p99) {
        this.p99 = p99;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistogramSummary h && Objects.equals(label, h.label) && Objects.equals(unit, h.unit)
                && Objects.equals(buckets, h.buckets) && Objects.equals(count, h.count)
                && Objects.equals(p50, h.p50) && Objects.equals(p90, h.p90) && Objects.equals(p99, h.p99);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, unit, buckets, count, p50, p90, p99);
    }

    @Override
    public String toString() {
        return "HistogramSummary{label=" + label + ", unit=" + unit + ", buckets=" + buckets + ", count=" + count
                + ", p50=" + p50 + ", p90=" + p90 + ", p99=" + p99 + "}";
    }
}
