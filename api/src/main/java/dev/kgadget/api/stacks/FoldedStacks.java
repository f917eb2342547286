package dev.kgadget.api.stacks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stacks in Brendan Gregg's folded format: {@code comm;outermost;...;innermost COUNT}, one
 * line per distinct stack. Stacks from several nodes merge by their folded key.
 */
public final class FoldedStacks {
    private FoldedStacks() {
    }

    /** What a stack gadget counts: offcputime microseconds blocked, profile samples. */
    public static String unit(String gadget) {
        return "offcputime".equals(gadget) ? "us" : "samples";
    }

    /** A node's stacks from its results document: the {@code counts} rows, named by folded stack. */
    public static Map<String, Long> ofDocument(com.fasterxml.jackson.databind.JsonNode doc) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode row : doc.path("counts")) {
            out.merge(row.path("name").asText(), row.path("count").asLong(), Long::sum);
        }
        return out;
    }

    /** Sums the counts of equal keys (e.g. the same stack on two nodes). */
    public static Map<String, Long> merge(List<Map<String, Long>> parts) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map<String, Long> p : parts) {
            p.forEach((k, v) -> out.merge(k, v, Long::sum));
        }
        return out;
    }

    /** Lines sorted by count (largest first), then by key. */
    public static List<String> lines(Map<String, Long> stacks) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(stacks.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : entries) {
            out.add(e.getKey() + " " + e.getValue());
        }
        return out;
    }

    /** Parses folded lines ({@code key count}); blank lines are skipped. */
    public static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty()) {
                continue;
            }
            int sp = l.lastIndexOf(' ');
            if (sp <= 0) {
                throw new IllegalArgumentException("not a folded stack line: " + line);
            }
            out.merge(l.substring(0, sp), Long.parseLong(l.substring(sp + 1)), Long::sum);
        }
        return out;
    }
}
