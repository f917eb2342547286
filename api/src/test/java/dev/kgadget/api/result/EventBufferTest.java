package dev.kgadget.api.result;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventBufferTest {
    private static final Instant T = Instant.parse("2026-11-26T10:15:30.123456789Z");

    @Test
    void aRecordHoldsTheValuesBoxedAsDecodersUsedToPutThem() {
        EventBuffer b = new EventBuffer().putTime("time", T.getEpochSecond() * 1_000_000_000L + T.getNano())
                .putLong("pid", 4_000_000_000L).putInt("fd", -1).put("comm", "cat").put("args", List.of("a", "b"))
                .put("ok", true);

        EventRecord r = b.toRecord();

        assertThat(r.fields()).containsExactly(entry("time", T), entry("pid", 4_000_000_000L), entry("fd", -1),
                entry("comm", "cat"), entry("args", List.of("a", "b")), entry("ok", true));
        assertThat(r.get("pid")).isInstanceOf(Long.class);
        assertThat(r.get("fd")).isInstanceOf(Integer.class);
    }

    @Test
    void numbersAndTimesAreReadUnboxedAndTheRestAsObjects() {
        EventBuffer b = new EventBuffer().putTime("time", -1).putLong("pid", 7).put("comm", "cat");

        assertThat(b.size()).isEqualTo(3);
        assertThat(b.indexOf("pid")).isEqualTo(1);
        assertThat(b.indexOf(new String("comm"))).as("an equal key that is another object").isEqualTo(2);
        assertThat(b.indexOf("path")).isEqualTo(-1);
        assertThat(b.kind(0)).isEqualTo(EventBuffer.Kind.TIME);
        assertThat(b.value(0)).as("before the epoch").isEqualTo(Instant.parse("1969-12-31T23:59:59.999999999Z"));
        assertThat(b.number(1)).isEqualTo(7);
        assertThat(b.object(2)).isEqualTo("cat");
        assertThatThrownBy(() -> b.number(2)).hasMessage("field comm is not a number");
        assertThatThrownBy(() -> b.object(1)).hasMessage("field pid is a number");
        assertThatThrownBy(() -> b.kind(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void loadingARecordGivesItBackEqual() {
        EventRecord r = new EventBuffer().putTime("time", 5_000_000_123L).putLong("pid", 1).putInt("ret", 0)
                .put("path", "/etc/hosts").toRecord();

        EventBuffer b = new EventBuffer().putLong("stale", 9).load(r);

        assertThat(b.kind(0)).isEqualTo(EventBuffer.Kind.TIME);
        assertThat(b.kind(2)).isEqualTo(EventBuffer.Kind.INT);
        assertThat(b.indexOf("stale")).isEqualTo(-1);
        assertThat(b.toRecord()).isEqualTo(r);
    }

    @Test
    void theRecordIsSharedUntilTheFieldsChangeAndNeverSeesTheNextEvent() {
        EventBuffer b = new EventBuffer().putLong("pid", 1);
        EventRecord first = b.toRecord();
        assertThat(b.toRecord()).isSameAs(first);

        b.putLong("tid", 2);
        assertThat(b.toRecord()).isNotSameAs(first).isEqualTo(new EventRecord(java.util.Map.of("pid", 1L, "tid", 2L)));

        b.clear().putLong("pid", 3);
        assertThat(first.fields()).containsExactly(entry("pid", 1L));
        assertThat(b.toRecord().get("pid")).isEqualTo(3L);
    }

    @Test
    void growsPastSixteenFields() {
        EventBuffer b = new EventBuffer();
        for (int i = 0; i < 40; i++) {
            b.putLong("f" + i, i);
        }
        assertThat(b.size()).isEqualTo(40);
        assertThat(b.number(b.indexOf("f39"))).isEqualTo(39);
        assertThat(b.toRecord().fields()).hasSize(40);
    }

    @Test
    void aKeyPutTwiceIsCaughtWhereAssertionsRun() {
        EventBuffer b = new EventBuffer().putLong("pid", 1);
        assertThatThrownBy(() -> b.putLong("pid", 2)).isInstanceOf(AssertionError.class).hasMessage("field pid put twice");
    }

    private static java.util.Map.Entry<String, Object> entry(String k, Object v) {
        return java.util.Map.entry(k, v);
    }
}
