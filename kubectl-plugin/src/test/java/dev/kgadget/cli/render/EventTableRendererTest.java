package dev.kgadget.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.result.Column;
import dev.kgadget.api.result.EventRecord;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

class EventTableRendererTest {
    // the catalog's columns as of writing, fixed here so a catalog change does not move the goldens
    private static final List<Column> EXECSNOOP = List.of(Column.left("time", "TIME", 12),
            Column.left("comm", "PCOMM", 16), Column.right("pid", "PID", 7), Column.right("ppid", "PPID", 7),
            Column.right("uid", "UID", 5), Column.right("cgroupId", "CGROUP", 8), Column.right("ret", "RET", 4),
            Column.left("args", "ARGS", 0));
    private static final List<Column> OPENSNOOP = List.of(Column.left("time", "TIME", 12),
            Column.right("pid", "PID", 7), Column.left("comm", "COMM", 16), Column.right("fd", "FD", 4),
            Column.right("err", "ERR", 3), Column.left("flags", "FLAGS", 10), Column.left("path", "PATH", 0));

    private static EventRecord event(Object... keyValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            fields.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new EventRecord(fields);
    }

    private static String render(List<Column> columns, ZoneId zone, EventRecord... events) {
        StringBuilder sb = new StringBuilder();
        new EventTableRenderer(columns, zone).render(Results.events("x", Arrays.asList(events), events.length, 0), sb);
        return sb.toString();
    }

    @Test
    void execsnoopRowsAlignUnderTheirHeaders() {
        String text = render(EXECSNOOP, ZoneOffset.UTC,
                event("time", Instant.parse("2024-05-01T10:15:30.123456Z"), "comm", "bash", "pid", 4242,
                        "ppid", 4200, "uid", 1000, "cgroupId", 8123L, "ret", 0,
                        "args", List.of("/usr/bin/ls", "-la", "/tmp")),
                event("time", Instant.parse("2024-05-01T10:15:31.005Z"), "comm", "cron", "pid", 99L,
                        "ppid", 1L, "uid", 0L, "cgroupId", 1_234_567_890L, "ret", -2, "args", List.of("/no/such/bin")),
                event("comm", "evil\nname", "pid", 31337, "ppid", 1, "ret", 0,
                        "args", List.of("/tmp/x", "\u001b[31mred\u001b[0m")));
        assertThat(text).isEqualTo(Golden.read("events-execsnoop.txt"));
    }

    /** The zone lookup (the time zone database) is not part of a run's start: it waits for the first time shown. */
    @Test
    void theZoneIsAskedForWithTheFirstTimeShownAndOnce() {
        AtomicInteger asked = new AtomicInteger();
        EventTableRenderer r = new EventTableRenderer(OPENSNOOP, () -> {
            asked.incrementAndGet();
            return ZoneOffset.ofHours(-3);
        });
        String header = r.header();
        String timeless = r.row(event("pid", 1, "comm", "x"));
        assertThat(asked.get()).as("asked before any time is shown").isZero();

        String first = r.row(event("time", Instant.parse("2024-05-01T01:00:00.250Z"), "pid", 1));
        String second = r.row(event("time", Instant.parse("2024-05-01T01:00:07.001Z"), "pid", 1));

        assertThat(header).startsWith("TIME");
        assertThat(timeless).startsWith("-");
        assertThat(first).startsWith("22:00:00.250");
        assertThat(second).startsWith("22:00:07.001");
        assertThat(asked.get()).isEqualTo(1);
    }

    @Test
    void opensnoopTimesUseTheGivenZone() {
        String text = render(OPENSNOOP, ZoneOffset.ofHours(2),
                event("time", Instant.parse("2024-05-01T21:59:59.999Z"), "pid", 812, "comm", "systemd-journald",
                        "fd", 3, "err", 0, "flags", "O_RDONLY|O_CLOEXEC", "path", "/etc/ld.so.cache"),
                event("time", Instant.parse("2024-05-01T22:00:00Z"), "pid", 4242, "comm", "cat",
                        "fd", -1, "err", 2, "flags", "O_RDONLY", "path", "/nope"));
        assertThat(text).isEqualTo(Golden.read("events-opensnoop.txt"));
    }

    @Test
    void theCatalogColumnsAreTheOnesTheGoldensUse() {
        assertThat(GadgetCatalog.EXECSNOOP.columns()).isEqualTo(EXECSNOOP);
        assertThat(GadgetCatalog.OPENSNOOP.columns()).isEqualTo(OPENSNOOP);
    }

    @Test
    void cellsShowBooleansNumbersAndNulls() {
        EventTableRenderer r = new EventTableRenderer(List.of(), ZoneOffset.UTC);
        assertThat(r.cell(true)).isEqualTo("true");
        assertThat(r.cell(3.5)).isEqualTo("3.5");
        assertThat(r.cell(null)).isEqualTo("-");
        assertThat(r.cell(List.of())).isEmpty();
        assertThat(EventTableRenderer.printable("a\tb\u009bc\u007f")).isEqualTo("a\\tb\\x9bc\\x7f");
    }

    @Test
    void summaryCountsEventsKeptAndLost() {
        assertThat(EventTableRenderer.summary(Results.events("execsnoop", List.of(event("pid", 1)), 1234, 5)))
                .isEqualTo("events 1234 (1 kept)  lost 5  kernel - ns/event");
        assertThat(EventTableRenderer.summary(Results.events("execsnoop", List.of(), 0, 0)))
                .isEqualTo("events 0  lost 0  kernel - ns/event");
    }
}
