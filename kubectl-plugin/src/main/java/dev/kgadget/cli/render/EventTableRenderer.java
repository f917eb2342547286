package dev.kgadget.cli.render;

import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.result.Column;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Event gadgets as an aligned table, one line per event, so rows can be printed the moment
 * they arrive: widths come from the descriptor's columns, never from the data.
 */
public final class EventTableRenderer {
    private final List<Column> columns;
    private final DateTimeFormatter clock;

    /** @param zone the zone event times are shown in (the local one, or UTC for stable tests) */
    public EventTableRenderer(List<Column> columns, ZoneId zone) {
        this.columns = List.copyOf(columns);
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone);
    }

    public static EventTableRenderer of(GadgetDescriptor gadget, ZoneId zone) {
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
        return line(columns.stream().map(Column::header).toList());
    }

    public String row(EventRecord event) {
        return line(columns.stream().map(c -> cell(event.get(c.key()))).toList());
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

    private String line(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            String v = cells.get(i);
            if (i > 0) {
                sb.append(' ');
            }
            // the last column (args, path) has no width to fill and must not end in blanks
            if (i == columns.size() - 1) {
                sb.append(v);
            } else {
                sb.append(c.right() ? TextOut.padLeft(v, c.width()) : TextOut.padRight(v, c.width()));
            }
        }
        return sb.toString();
    }

    String cell(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Instant t) {
            return clock.format(t);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(this::cell).collect(Collectors.joining(" "));
        }
        return printable(value.toString());
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
