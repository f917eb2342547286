package dev.kgadget.api.crd;

import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.Histogram;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultConversionTest {

    @Test
    void histogramToSummaryDropsTrailingEmptyBucketsAndKeepsTheNumbers() {
        Histogram h = new Histogram("all", "usecs", new long[] {0, 0, 4, 4, 2, 0, 0});
        HistogramSummary s = HistogramSummary.of(h);
        assertThat(s.getLabel()).isEqualTo("all");
        assertThat(s.getUnit()).isEqualTo("usecs");
        assertThat(s.getBuckets()).containsExactly(0L, 0L, 4L, 4L, 2L);
        assertThat(s.getCount()).isEqualTo(10L);
        // rank 5 falls 1/4 into bucket 3 (8..15); rank 9 half into bucket 4 (16..31); rank 9.9 at 0.95
        assertThat(s.getP50()).isEqualTo(10.0);
        assertThat(s.getP90()).isEqualTo(24.0);
        assertThat(s.getP99()).isEqualTo(31.2);
        assertThat(s.toHistogram()).isEqualTo(h);
        assertThat(s.toHistogram().buckets()).containsExactly(0, 0, 4, 4, 2);
    }

    @Test
    void emptyHistogram() {
        HistogramSummary s = HistogramSummary.of(new Histogram("sda", "msecs", new long[] {0, 0}));
        assertThat(s.getBuckets()).isEmpty();
        assertThat(s.getCount()).isZero();
        assertThat(s.getP99()).isEqualTo(0.0);
        assertThat(s.toHistogram()).isEqualTo(new Histogram("sda", "msecs", new long[0]));
    }

    @Test
    void countRowRoundTrip() {
        CountRow timed = new CountRow("read", null, 12, 3400L);
        CountRow perProcess = new CountRow("nginx", 4242, 5, null);
        assertThat(CountSummary.of(timed)).isEqualTo(new CountSummary("read", null, 12L, 3400L));
        assertThat(CountSummary.of(timed).toCountRow()).isEqualTo(timed);
        assertThat(CountSummary.of(perProcess).toCountRow()).isEqualTo(perProcess);
        assertThat(CountSummary.of(perProcess).toCountRow().avgNs()).isNull();
    }
}
