package dev.kgadget.cli.render;

import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.result.Column;
import dev.kgadget.api.result.EpochNanos;
import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

/**
 * Event gadgets as an aligned table, one line per event, so rows can be printed the moment
 * they arrive: widths come from the descriptor's columns, never from the data. Not thread-safe
 * (it caches the formatted current second); each output has its own.
 */
public final class EventTableRenderer {
    private static final String BLANKS = " ".repeat(256);

    private final List<Column> columns;
    /** Where a kept record is laid out to be printed, as the streamed events are. */
    private final EventBuffer scratch = new EventBuffer();
    private final Supplier<ZoneId> zone;
    private DateTimeFormatter clock;
    private long clockSecond = Long.MIN_VALUE;
    private String clockPrefix;

    /** @param zone the zone event times are shown in (the local one, or UTC for stable tests) */
    public EventTableRenderer(List<Column> columns, ZoneId zone) {
        this(columns, () -> zone);
    }

    /**
     * @param zone asked for with the first event time shown: the local zone and the time
     *             formatter cost ~20 ms of a CLI's start (the time zone database, java.time's
     *             classes), which are then not between the command and the gadget attached
     */
    public EventTableRenderer(List<Column> columns, Supplier<ZoneId> zone) {
        this.columns = List.copyOf(columns);
        this.zone = zone;
    }

    public static EventTableRenderer of(GadgetDescriptor gadget, ZoneId zone) {
        return new EventTableRenderer(gadget.columns(), zone);
    }

    public static EventTableRenderer of(GadgetDescriptor gadget, Supplier<ZoneId> zone) {
        return new EventTableRenderer(gadget.columns(), zone);
    }

    /** Header and every kept event, for results that were not streamed. */
    public void render(GadgetResult result, Appendable out) {
        TextOut.line(out, header());
        for (EventRecord e : result.events()) {
            TextOut.line(out, row(e));
        }
    }

    public String header() {
        StringBuilder sb = new StringBuilder(128);
        for (int i = 0; i < columns.size(); i++) {
            int start = startCell(sb, i);
            sb.append(columns.get(i).header());
            padCell(sb, start, i);
        }
        return sb.toString();
    }

    public String row(EventRecord event) {
        StringBuilder sb = new StringBuilder(128);
        appendRow(sb, event);
        return sb.toString();
    }

    public void appendRow(StringBuilder sb, EventRecord event) {
        appendRow(sb, scratch.load(event));
    }

    /**
     * The row for {@code event} appended to {@code sb}, no newline. The streaming path: in an event
     * storm this runs for every event, so it allocates nothing: numbers are appended unboxed, in
     * place (no per-cell strings for padding, no streams), and times from a per-second cache.
     */
    public void appendRow(StringBuilder sb, EventBuffer event) {
        for (int i = 0; i < columns.size(); i++) {
            int start = startCell(sb, i);
            int field = event.indexOf(columns.get(i).key());
            if (field < 0) {
                sb.append('-');
            } else {
                switch (event.kind(field)) {
                    case LONG, INT -> sb.append(event.number(field));
                    case TIME -> appendTime(sb, event.number(field));
                    case OBJECT -> appendCell(sb, event.object(field));
                }
            }
            padCell(sb, start, i);
        }
    }

    /** The separator before cell {@code i}; returns where the cell's text starts. */
    private static int startCell(StringBuilder sb, int i) {
        if (i > 0) {
            sb.append(' ');
        }
        return sb.length();
    }

    /** Pads cell {@code i}, written from {@code start}, to its column's width, on its column's side. */
    private void padCell(StringBuilder sb, int start, int i) {
        // the last column (args, path) has no width to fill and must not end in blanks
        if (i == columns.size() - 1) {
            return;
        }
        Column c = columns.get(i);
        int pad = Math.min(c.width() - (sb.length() - start), BLANKS.length());
        if (pad > 0) {
            if (c.right()) {
                sb.insert(start, BLANKS, 0, pad);
            } else {
                sb.append(BLANKS, 0, pad);
            }
        }
    }

    /** {@code events 1234  lost 0  kernel 85 ns/event}. */
    public static String summary(GadgetResult result) {
        return summary(result, result.events().size() < result.eventCount()
                ? " (" + result.events().size() + " kept)" : "");
    }

    /** After rows streamed as they came: all of them were printed, whatever the result kept. */
    public static String streamedSummary(GadgetResult result) {
        return summary(result, "");
    }

    private static String summary(GadgetResult result, String kept) {
        return "events " + result.eventCount() + kept + "  " + RunFooter.of(result);
    }

    String cell(Object value) {
        StringBuilder sb = new StringBuilder();
        appendCell(sb, value);
        return sb.toString();
    }

    private void appendCell(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append('-');
        } else if (value instanceof Instant t) {
            appendTime(sb, EpochNanos.of(t));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                appendCell(sb, list.get(i));
            }
        } else if (value instanceof Number) {
            sb.append(value);
        } else {
            sb.append(printable(value.toString()));
        }
    }

    /** HH:mm:ss.SSS: the formatter runs once a second, the milliseconds are appended. */
    private void appendTime(StringBuilder sb, long epochNanos) {
        long second = EpochNanos.second(epochNanos);
        if (second != clockSecond) {
            if (clock == null) {
                clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone.get());
            }
            clockSecond = second;
            clockPrefix = clock.format(Instant.ofEpochSecond(second)).substring(0, 9); // "HH:mm:ss."
        }
        int ms = EpochNanos.nano(epochNanos) / 1_000_000;
        sb.append(clockPrefix).append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10))
                .append((char) ('0' + ms % 10));
    }

    /**
     * File names and exec arguments are chosen by whoever is traced: escape control characters
     * so they cannot break the table or send escape sequences to the terminal.
     */
    static String printable(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean control = ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0);
            if (control && sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (sb != null) {
                if (!control) {
                    sb.append(ch);
                } else if (ch == '\n') {
                    sb.append("\\n");
                } else if (ch == '\t') {
                    sb.append("\\t");
                } else {
                    sb.append(String.format("\\x%02x", (int) ch));
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
