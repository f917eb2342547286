package dev.kgadget.api.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleCronTest {
    @Test
    void nextRunsFollowTheExpressionInItsTimeZone() {
        Instant t = Instant.parse("2026-03-29T00:30:00Z");
        assertThat(ScheduleCron.parse("*/15 * * * *", null).nextAfter(t)).contains(Instant.parse("2026-03-29T00:45:00Z"));
        // 03:00 Berlin local on the day summer time starts is 01:00 UTC (02:00 local does not exist)
        assertThat(ScheduleCron.parse("0 3 * * *", "Europe/Berlin").nextAfter(t)).contains(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(ScheduleCron.parse("@hourly", "UTC").nextAfter(t)).contains(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(ScheduleCron.parse("@daily", null).nextAfter(t)).contains(Instant.parse("2026-03-30T00:00:00Z"));
    }

    @Test
    void dueTimesBetweenTwoInstantsAreCountedUpToACap() {
        ScheduleCron every = ScheduleCron.parse("* * * * *", null);
        Instant from = Instant.parse("2026-01-01T10:00:30Z");
        ScheduleCron.Due due = every.dueBetween(from, Instant.parse("2026-01-01T10:05:01Z"), 100);
        assertThat(due.count()).isEqualTo(5);
        assertThat(due.latest()).isEqualTo(Instant.parse("2026-01-01T10:05:00Z"));
        assertThat(every.dueBetween(from, Instant.parse("2026-01-01T10:00:59Z"), 100).count()).isZero();
        assertThat(every.dueBetween(from, Instant.parse("2026-01-02T10:00:00Z"), 100).count()).isEqualTo(100);
    }

    @Test
    void badExpressionsAndZonesSayWhatIsWrong() {
        assertThatThrownBy(() -> ScheduleCron.parse("61 * * * *", null)).isInstanceOfSatisfying(
                ScheduleCron.InvalidScheduleException.class, e -> {
                    assertThat(e.reason()).isEqualTo("InvalidSchedule");
                    assertThat(e.getMessage()).startsWith("spec.schedule: '61 * * * *' is not a valid cron expression");
                });
        assertThatThrownBy(() -> ScheduleCron.parse("* * * *", null)).hasMessageContaining("needs five fields");
        assertThatThrownBy(() -> ScheduleCron.parse("0 0 * * * *", null)).hasMessageContaining("needs five fields");
        assertThatThrownBy(() -> ScheduleCron.parse("@often", null)).hasMessageContaining("unknown macro '@often'");
        assertThatThrownBy(() -> ScheduleCron.parse("@daily", "Mars/Olympus")).isInstanceOfSatisfying(
                ScheduleCron.InvalidScheduleException.class, e -> assertThat(e.reason()).isEqualTo("InvalidTimeZone"));
    }
}
