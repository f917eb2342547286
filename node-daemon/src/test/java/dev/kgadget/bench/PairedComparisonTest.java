package dev.kgadget.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The benchmark's paired comparison, on differences whose answer is known. */
class PairedComparisonTest {
    @Test
    void aTracerLowerInEveryRepetitionIsLowerWithTheExactSignedRankPValue() {
        // the swings are shared (the same baselines); ours is 1-8 points lower each time, no two alike
        double[] theirs = {10, 30, 5, 22, 15, 40, 8, 12};
        double[] ours = {7, 25, 1, 16, 14, 33, 6, 4};
        PairedComparison c = new PairedComparison(ours, theirs);
        assertThat(c.lower()).isEqualTo(8);
        assertThat(c.medianDifference()).isEqualTo(-4.5);
        // every difference negative: the most extreme of 2^8 equally likely sign patterns, both tails
        assertThat(c.pValue()).isCloseTo(2.0 / 256, within(1e-12));
        assertThat(c.describe()).isEqualTo("-4.5 points (median), lower in 8 of 8 repetitions, Wilcoxon signed-rank p = 0.008");
    }

    @Test
    void differencesThatChangeSignAreNotSignificantAndMissingRepetitionsAreLeftOut() {
        double[] theirs = {10, 30, 5, 22, 15, Double.NaN};
        double[] ours = {12, 27, 6, 20, 16, 3};
        PairedComparison c = new PairedComparison(ours, theirs);
        assertThat(c.differences()).containsExactly(2, -3, 1, -2, 1);
        assertThat(c.lower()).isEqualTo(2);
        assertThat(c.pValue()).isGreaterThan(0.5);
        assertThatThrownBy(() -> new PairedComparison(new double[2], new double[3]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
