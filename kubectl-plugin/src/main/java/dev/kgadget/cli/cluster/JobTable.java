package dev.kgadget.cli.cluster;

import dev.kgadget.api.crd.TraceJob;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** {@code kubectl gadget get}: TraceJobs as kubectl prints a table (columns as wide as their widest cell, 3 blanks apart). */
final class JobTable {
    private JobTable() {
    }

    static List<String> render(List<TraceJob> jobs, boolean allNamespaces, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        if (allNamespaces) {
            header.add("NAMESPACE");
        }
        header.addAll(List.of("NAME", "GADGET", "PHASE", "NODES", "AGE"));
        rows.add(header);
        for (TraceJob j : jobs) {
            List<String> row = new ArrayList<>();
            if (allNamespaces) {
                row.add(j.getMetadata().getNamespace());
            }
            var s = j.getStatus();
            row.add(j.getMetadata().getName());
            row.add(j.getSpec() == null ? "" : j.getSpec().getGadget());
            row.add(s == null || s.getPhase() == null ? "Pending" : s.getPhase().name());
            row.add(s == null || s.getProgress() == null ? "-" : s.getProgress());
            row.add(age(j.getMetadata().getCreationTimestamp(), now));
            rows.add(row);
        }
        return layout(rows);
    }

    /** Rows as kubectl prints them: each column as wide as its widest cell, 3 blanks apart; the first row is the header. */
    static List<String> layout(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                if (i == r.size() - 1) {
                    sb.append(r.get(i));
                } else {
                    sb.append(r.get(i)).append(" ".repeat(widths[i] - r.get(i).length() + 3));
                }
            }
            lines.add(sb.toString());
        }
        return lines;
    }

    /** kubectl's age: 45s, 3m12s, 42m, 3h20m, 27h, 5d3h, 120d, 3y. */
    static String age(String creationTimestamp, Instant now) {
        if (creationTimestamp == null) {
            return "<unknown>";
        }
        Instant created;
        try {
            created = Instant.parse(creationTimestamp);
        } catch (DateTimeParseException e) {
            return "<unknown>";
        }
        return human(Duration.between(created, now));
    }

    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long m = s / 60;
        long h = m / 60;
        long days = h / 24;
        if (s < 120) {
            return s + "s";
        }
        if (m < 10) {
            return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
        }
        if (m < 180) {
            return m + "m";
        }
        if (h < 8) {
            return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
        }
        if (h < 48) {
            return h + "h";
        }
        if (h < 24 * 8) {
            return h % 24 == 0 ? days + "d" : days + "d" + (h % 24) + "h";
        }
        if (days < 365 * 2) {
            return days + "d";
        }
        return (days / 365) + "y";
    }
}
