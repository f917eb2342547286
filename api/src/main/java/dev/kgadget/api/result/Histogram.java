package dev.kgadget.api.result;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Arrays;

/**
 * A log2 histogram in bcc's convention: bucket 0 holds values 0..1, bucket k holds
 * 2^k..2^(k+1)-1. Histograms from several nodes merge by bucket-wise sum.
 *
 * @param label   what the histogram is of: "all", a disk name, or "comm [pid]"
 * @param unit    usecs, msecs or nsecs
 * @param buckets counts per log2 bucket; trailing zero buckets may be omitted
 */
// Jackson orders the computed properties by reflection, whose method order the JVM leaves
// open (a CI run once put p99 first): the JSON output is an interface, so it is fixed here.
@JsonPropertyOrder({"label", "unit", "buckets", "count", "p50", "p90", "p99"})
public record Histogram(String label, String unit, long[] buckets) {

    public Histogram {
        buckets = buckets.clone();
    }

    @Override
    public long[] buckets() {
        return buckets.clone();
    }

    public static long bucketLow(int i) {
        return i == 0 ? 0 : 1L << i;
    }

    public static long bucketHigh(int i) {
        return i == 0 ? 1 : (1L << (i + 1)) - 1;
    }

    @JsonProperty("count")
    public long count() {
        return Arrays.stream(buckets).sum();
    }

    @JsonProperty("p50")
    public double p50() {
        return percentile(0.50);
    }

    @JsonProperty("p90")
    public double p90() {
        return percentile(0.90);
    }

    @JsonProperty("p99")
    public double p99() {
        return percentile(0.99);
    }

    /**
     * Estimates a percentile by linear interpolation inside the bucket where the rank falls.
     * Buckets lose everything finer than a factor of two, so this is an estimate, bounded by
     * that bucket's edges; 0 for an empty histogram.
     */
    public double percentile(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            if (buckets[i] == 0) {
                continue;
            }
            if (seen + buckets[i] >= rank) {
                double within = (rank - seen) / buckets[i];
                double low = bucketLow(i);
                double high = bucketHigh(i) + 1;
                return Math.round((low + within * (high - low)) * 10) / 10.0;
            }
            seen += buckets[i];
        }
        return bucketHigh(buckets.length - 1);
    }

    /** Bucket-wise sum; labels and units must agree. */
    public Histogram plus(Histogram other) {
        if (!unit.equals(other.unit)) {
            throw new IllegalArgumentException("cannot merge " + unit + " with " + other.unit);
        }
        long[] sum = new long[Math.max(buckets.length, other.buckets.length)];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = (i < buckets.length ? buckets[i] : 0) + (i < other.buckets.length ? other.buckets[i] : 0);
        }
        return new Histogram(label, unit, sum);
    }

    @JsonIgnore
    public int lastNonEmpty() {
        for (int i = buckets.length - 1; i >= 0; i--) {
            if (buckets[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && label.equals(h.label) && unit.equals(h.unit)
                && Arrays.equals(trimmed(), h.trimmed());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * label.hashCode() + unit.hashCode()) + Arrays.hashCode(trimmed());
    }

    private long[] trimmed() {
        return Arrays.copyOf(buckets, lastNonEmpty() + 1);
    }

    @Override
    public String toString() {
        return "Histogram[" + label + ", " + unit + ", " + Arrays.toString(trimmed()) + "]";
    }
}
