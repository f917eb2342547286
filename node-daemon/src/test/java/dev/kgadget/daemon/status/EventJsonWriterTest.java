package dev.kgadget.daemon.status;

import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.api.result.EventFields;
import dev.kgadget.api.result.EventRecord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The followed events' JSON: the bytes databind gives the event's record (what the CLI reads),
 * from one writer reused across events, with nothing allocated per event.
 */
class EventJsonWriterTest {
    private static final ObjectMapper DATABIND = new ObjectMapper()
            .registerModule(new SimpleModule("instants").addSerializer(Instant.class, ToStringSerializer.instance));
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void eachEventIsWhatDatabindWritesForItsRecordThoughTheWriterIsReused() throws Exception {
        Instant t = Instant.parse("2026-11-26T15:49:28Z");
        List<EventRecord> events = List.of(
                event(t, 1, "sh", List.of("/bin/sh", "-c", "echo \"hi\" \u00e9\u4e2d\n")),
                event(t.plusMillis(5), -2, "a\\b\u0001", List.of()), // same second: its text reused
                event(t.plusNanos(7_000), Integer.MAX_VALUE, "", List.of("x")),
                event(t.plusNanos(123_456_789), Long.MAX_VALUE, "cat", List.of()),
                event(t.plusSeconds(86_400 * 400), Long.MIN_VALUE, "later", List.of()),
                event(Instant.ofEpochSecond(-1, 500_000_000), 0, "before 1970", List.of()),
                event(Instant.EPOCH, 3, "x".repeat(20_000), List.of("y".repeat(9_000))), // longer than every buffer
                event(t, 4, "sh", new LinkedList<>(List.of("not", "indexed"))));
        EventJsonWriter writer = new EventJsonWriter();
        EventBuffer buffer = new EventBuffer();
        for (EventRecord e : events) {
            int n = writer.write(buffer.load(e));
            assertThat(new String(writer.bytes(), 0, n, StandardCharsets.UTF_8))
                    .isEqualTo(DATABIND.writeValueAsString(e.fields()));
        }
        EventRecord ints = EventFields.builder().put("pid", 7).put("none", null).put("flag", true).record();
        int n = writer.write(buffer.load(ints));
        assertThat(new String(writer.bytes(), 0, n, StandardCharsets.UTF_8)).isEqualTo("{\"pid\":7,\"none\":null,\"flag\":true}");
    }

    @Test
    void writingAnEventAllocatesNothing() {
        EventJsonWriter writer = new EventJsonWriter();
        EventBuffer buffer = new EventBuffer();
        String comm = "postgres";
        String path = "/var/lib/postgresql/data/base/16384/2619";
        List<String> args = List.of("/usr/bin/psql", "-c", "select 1");
        long t0 = Instant.parse("2026-11-26T15:49:28Z").getEpochSecond() * 1_000_000_000L;
        long bytes = 0;
        for (int round = 0; round < 2; round++) { // the first warms up: the generator's buffers, the JIT
            long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                buffer.clear().putTime("time", t0 + i * 1_000L).putInt("pid", 4242 + (i & 7)).putLong("cgroupId", 12345678L)
                        .put("comm", comm).putInt("fd", 5).put("path", path).put("args", args);
                bytes += writer.write(buffer);
            }
            if (round == 1) {
                long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                // the time's text once per second of event time: 100,000 events 1 µs apart span one
                assertThat(allocated).as("bytes allocated by 100,000 events").isLessThan(1024);
            }
        }
        assertThat(bytes).isGreaterThan(200_000L * 100);
    }

    private static EventRecord event(Instant time, long n, String comm, List<String> args) {
        return EventFields.builder().put("time", time).put("pid", (int) n).put("ret", n).put("comm", comm)
                .put("args", args).record();
    }
}
