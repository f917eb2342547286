package dev.kgadget.cli.render;

import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Log2 histograms laid out like bcc's print_log2_hist, so output reads the same as the
 * biolatency/runqlat people already know, followed by percentile estimates.
 */
public final class HistogramRenderer {
    static final String UNGROUPED = "all";

    private static final int STARS = 40;
    /** runqlat labels a process "comm [pid]"; the api documents "comm[pid]": accept both. */
    private static final Pattern PROCESS_LABEL = Pattern.compile("(.*?) ?\\[(\\d+)]");

    public void render(GadgetResult result, Appendable out) {
        List<Histogram> histograms = result.histograms();
        boolean grouped = histograms.stream().anyMatch(h -> !h.label().equals(UNGROUPED));
        boolean printed = false;
        for (Histogram h : histograms) {
            if (printed) {
                TextOut.line(out, "");
            }
            if (grouped) {
                TextOut.line(out, labelLine(h.label(), result.params()));
                printed = true;
            }
            printed |= renderBuckets(h, out);
            if (histograms.size() > 1) {
                TextOut.line(out, stats(h));
            }
        }
        if (printed) {
            TextOut.line(out, "");
        }
        TextOut.line(out, summary(result));
    }

    /** The bcc table of one histogram; nothing (like bcc) when it is empty. */
    public boolean renderBuckets(Histogram h, Appendable out) {
        long[] buckets = h.buckets();
        int last = h.lastNonEmpty();
        if (last < 0) {
            return false;
        }
        long max = 0;
        for (long b : buckets) {
            max = Math.max(max, b);
        }
        // bcc halves the bar and widens the value columns once values pass 2^32
        boolean wide = last > 32;
        int valueWidth = wide ? 20 : 10;
        int stars = wide ? STARS / 2 : STARS;
        TextOut.line(out, " ".repeat(wide ? 15 : 5) + TextOut.padRight(h.unit(), wide ? 29 : 19)
                + " : count    distribution");
        String row = "%" + valueWidth + "d -> %-" + valueWidth + "d : %-8d |%s|";
        for (int i = 0; i <= last; i++) {
            TextOut.line(out, String.format(Locale.ROOT, row, Histogram.bucketLow(i), Histogram.bucketHigh(i),
                    buckets[i], bar(buckets[i], max, stars)));
        }
        return true;
    }

    static String bar(long value, long max, int width) {
        long filled = value <= Long.MAX_VALUE / width ? value * width / max : (long) ((double) value / max * width);
        return "*".repeat((int) filled) + " ".repeat(width - (int) filled);
    }

    /** {@code disk = vda}, {@code comm = nginx [1234]}. */
    static String labelLine(String label, Map<String, Object> params) {
        Matcher process = PROCESS_LABEL.matcher(label);
        if (process.matches()) {
            return "comm = " + process.group(1) + " [" + process.group(2) + "]";
        }
        if (Boolean.TRUE.equals(params.get("per-disk"))) {
            return "disk = " + label;
        }
        return "group = " + label;
    }

    /** Percentiles of one histogram: {@code count 12  p50 180.0us  p90 230.4us  p99 252.2us}. */
    static String stats(Histogram h) {
        long count = h.count();
        String unit = abbreviate(h.unit());
        return "count " + count + "  p50 " + percentile(h.p50(), count, unit) + "  p90 "
                + percentile(h.p90(), count, unit) + "  p99 " + percentile(h.p99(), count, unit);
    }

    /** The whole run: all groups merged, then what was lost and what tracing cost. */
    public static String summary(GadgetResult result) {
        List<Histogram> histograms = result.histograms();
        String merged = histograms.stream().reduce(Histogram::plus).map(HistogramRenderer::stats)
                .orElse("count 0  p50 -  p90 -  p99 -");
        return (histograms.size() > 1 ? "total: " : "") + merged + "  " + RunFooter.of(result);
    }

    private static String percentile(double value, long count, String unit) {
        return count == 0 ? "-" : String.format(Locale.ROOT, "%.1f%s", value, unit);
    }

    static String abbreviate(String unit) {
        return switch (unit) {
            case "usecs" -> "us";
            case "msecs" -> "ms";
            case "nsecs" -> "ns";
            default -> unit;
        };
    }
}
