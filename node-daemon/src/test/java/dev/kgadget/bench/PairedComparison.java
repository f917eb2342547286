package dev.kgadget.bench;

import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Two tracers' overheads compared repetition by repetition: each repetition measured both against
 * the same bracketing baselines, so the disk's or the machine's swings from one repetition to the
 * next cancel out of their difference. Where the min–max bands of two tracers overlap (biolatency),
 * this still says whether one is lower, and how sure that is.
 *
 * @param ours   overhead % per repetition (NaN where the tracer did not run)
 * @param theirs the same repetitions' overhead % of the other tracer
 */
record PairedComparison(double[] ours, double[] theirs) {
    PairedComparison {
        if (ours.length != theirs.length) {
            throw new IllegalArgumentException(ours.length + " against " + theirs.length + " repetitions");
        }
    }

    /** ours − theirs, in percentage points, for the repetitions where both ran. */
    double[] differences() {
        List<Double> d = new ArrayList<>();
        for (int i = 0; i < ours.length; i++) {
            if (!Double.isNaN(ours[i]) && !Double.isNaN(theirs[i])) {
                d.add(ours[i] - theirs[i]);
            }
        }
        return d.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** In how many repetitions ours was lower. */
    int lower() {
        int n = 0;
        for (double d : differences()) {
            if (d < 0) {
                n++;
            }
        }
        return n;
    }

    /** The median difference, in points. */
    double medianDifference() {
        List<Double> d = new ArrayList<>();
        for (double x : differences()) {
            d.add(x);
        }
        return PeerBenchmark.median(d);
    }

    /**
     * The two-sided p-value of the Wilcoxon signed-rank test on the differences (exact for fewer
     * than 50 repetitions without ties): how likely differences at least this one-sided are if
     * neither tracer costs more. NaN with fewer than two repetitions.
     */
    double pValue() {
        double[] d = differences();
        return d.length < 2 ? Double.NaN : WilcoxonSignedRankTest.withDefaults().test(d).getPValue();
    }

    /** E.g. "−6.1 points, lower in 12 of 15 repetitions, Wilcoxon signed-rank p = 0.008". */
    String describe() {
        return String.format(Locale.ROOT, "%+.1f points (median), lower in %d of %d repetitions, Wilcoxon signed-rank p = %.3f",
                medianDifference(), lower(), differences().length, pValue());
    }
}
