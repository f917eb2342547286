package dev.kgadget.api.result;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EpochNanosTest {
    @Test
    void itRoundTripsInstantsAndSplitsTowardThePastAsInstantDoes() {
        for (Instant t : new Instant[]{Instant.parse("2026-11-26T15:49:28.123456789Z"), Instant.EPOCH,
                Instant.ofEpochSecond(-1, 500_000_000), Instant.ofEpochSecond(-2, 1)}) {
            long n = EpochNanos.of(t);
            assertThat(EpochNanos.toInstant(n)).isEqualTo(t);
            assertThat(EpochNanos.second(n)).isEqualTo(t.getEpochSecond());
            assertThat(EpochNanos.nano(n)).isEqualTo(t.getNano());
        }
        assertThat(EpochNanos.of(Instant.ofEpochSecond(-1, 500_000_000))).isEqualTo(-500_000_000L);
    }
}
