package dev.kgadget.cli;

import dev.kgadget.api.catalog.GadgetCatalog;
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
            stream.onEvent(event(i));
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
        s.onEvent(event(1));
        s.endOfBatch();
        assertThat(closed.get()).isEqualTo(1);
    }

    private String[] lines() {
        return bytes.toString(StandardCharsets.UTF_8).split("\n");
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
