package dev.kgadget.cli;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.cli.render.EventTableRenderer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class EventStreamTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final AtomicInteger writes = new AtomicInteger();
    private final PrintStream out = new PrintStream(new OutputStream() {
        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            bytes.write(b, off, len);
        }
    }, true, StandardCharsets.UTF_8);
    private final EventStream stream = new EventStream(
            EventTableRenderer.of(GadgetCatalog.require("opensnoop"), ZoneOffset.UTC), out);

    @Test
    void aBatchOfRowsGoesOutInOneWriteAtItsEnd() {
        stream.header();
        int afterHeader = writes.get();
        for (int i = 0; i < 50; i++) {
            stream.onEvent(buffer(i));
        }
        assertThat(lines()).as("nothing before the batch ends").hasSize(1);
        stream.endOfBatch();
        assertThat(lines()).hasSize(51);
        assertThat(lines()[50]).contains("/etc/f49");
        assertThat(writes.get() - afterHeader).as("writes for 50 rows (one encoder buffer)").isEqualTo(1);
        stream.endOfBatch();
        assertThat(lines()).as("an empty batch writes nothing").hasSize(51);
    }

    @Test
    void followedEventsGoOutOneByOne() {
        stream.onEventNow(event(1));
        assertThat(lines()).hasSize(2);
        stream.onEventNow(event(2));
        assertThat(lines()).hasSize(3);
    }

    @Test
    void aClosedOutputEndsTheRunAtTheBatchEnd() {
        AtomicInteger closed = new AtomicInteger();
        PrintStream broken = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("Broken pipe");
            }
        }, true, StandardCharsets.UTF_8);
        EventStream s = new EventStream(EventTableRenderer.of(GadgetCatalog.require("opensnoop"), ZoneOffset.UTC), broken);
        s.onClosedOutput(closed::incrementAndGet);
        s.onEvent(buffer(1));
        s.endOfBatch();
        assertThat(closed.get()).isEqualTo(1);
    }

    /** Rows rendered, encoded and written from the run's buffer: no allocation per event once the buffers have grown. */
    @Test
    void streamingRowsAllocatesNothingPerEvent() {
        AtomicLong written = new AtomicLong();
        PrintStream sinkOut = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                written.incrementAndGet();
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written.addAndGet(len);
            }
        }, true, StandardCharsets.UTF_8);
        EventStream s = new EventStream(EventTableRenderer.of(GadgetCatalog.require("opensnoop"), ZoneOffset.UTC), sinkOut);
        EventBuffer e = new EventBuffer();
        long second = Instant.parse("2024-05-01T10:15:30Z").getEpochSecond() * 1_000_000_000L;
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = 0;
        for (int i = 0; i < 110_000; i++) {
            if (i == 10_000) { // the batch's buffers have grown to a full batch by now
                s.endOfBatch();
                written.set(0);
                before = threads.getCurrentThreadAllocatedBytes();
            }
            e.clear().putTime("time", second + i * 1_000L).putLong("pid", 4_000_000_000L + i).putLong("tid", 812)
                    .put("comm", "kgwork").putInt("fd", 3).putInt("err", 0).put("flags", "O_RDONLY")
                    .put("path", "/etc/h\u00f6sts");
            s.onEvent(e);
            if (i % 1000 == 999) {
                s.endOfBatch();
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // every row is as long as this one (10-digit pids, one file), whose text is the record path's
        String row = EventTableRenderer.of(GadgetCatalog.require("opensnoop"), ZoneOffset.UTC).row(e.toRecord()) + "\n";
        assertThat(row).isEqualTo("10:15:30.109 4000109999 kgwork              3   0 O_RDONLY   /etc/h\u00f6sts\n");
        assertThat(written.get()).as("100,000 rows written").isEqualTo(100_000L * row.getBytes(StandardCharsets.UTF_8).length);
        assertThat(allocated).as("bytes allocated for 100,000 rows").isBetween(0L, 1024L);
    }

    private String[] lines() {
        return bytes.toString(StandardCharsets.UTF_8).split("\n");
    }

    private static EventBuffer buffer(int i) {
        return new EventBuffer().load(event(i));
    }

    private static EventRecord event(int i) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("time", Instant.parse("2024-05-01T10:15:30Z").plusMillis(i));
        f.put("pid", 100 + i);
        f.put("comm", "cat");
        f.put("fd", 3);
        f.put("err", 0);
        f.put("flags", "O_RDONLY");
        f.put("path", "/etc/f" + i);
        return new EventRecord(f);
    }
}
