package dev.kgadget.cli.cluster;

import dev.kgadget.api.crd.CountSummary;
import dev.kgadget.api.crd.TraceSchedule;
import dev.kgadget.api.crd.TrendEntry;

import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** TraceSchedules as tables: {@code schedule list}, and a schedule's trend ({@code results --schedule}). */
final class ScheduleTables {
    private ScheduleTables() {
    }

    static List<String> list(List<TraceSchedule> schedules, boolean allNamespaces, Instant now) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        if (allNamespaces) {
            header.add("NAMESPACE");
        }
        header.addAll(List.of("NAME", "SCHEDULE", "GADGET", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "ALERTING", "AGE"));
        rows.add(header);
        for (TraceSchedule s : schedules) {
            List<String> row = new ArrayList<>();
            if (allNamespaces) {
                row.add(s.getMetadata().getNamespace());
            }
            var st = s.getStatus();
            row.add(s.getMetadata().getName());
            row.add(s.getSpec().getSchedule() + (s.getSpec().getTimeZone() == null ? "" : " (" + s.getSpec().getTimeZone() + ")"));
            row.add(s.getSpec().getJobTemplate() == null ? "" : s.getSpec().getJobTemplate().getGadget());
            row.add(String.valueOf(Boolean.TRUE.equals(s.getSpec().getSuspend())));
            row.add(st == null || st.getActive() == null ? "0" : Integer.toString(st.getActive().size()));
            row.add(st == null || st.getLastScheduleTime() == null ? "-" : JobTable.age(st.getLastScheduleTime(), now) + " ago");
            row.add(alerting(s));
            row.add(JobTable.age(s.getMetadata().getCreationTimestamp(), now));
            rows.add(row);
        }
        return JobTable.layout(rows);
    }

    /** True/False from the Alerting condition; an invalid schedule shows its reason instead. */
    private static String alerting(TraceSchedule s) {
        if (s.getStatus() == null || s.getStatus().getConditions() == null) {
            return "-";
        }
        for (Condition c : s.getStatus().getConditions()) {
            if ("ScheduleValid".equals(c.getType()) && "False".equals(c.getStatus())) {
                return c.getReason();
            }
        }
        return s.getStatus().getConditions().stream().filter(c -> "Alerting".equals(c.getType())).findFirst()
                .map(Condition::getStatus).orElse("-");
    }

    /** One line per run, oldest first: when, phase, the histogram's count and percentiles or the top counts, alerts. */
    static List<String> trend(List<TrendEntry> trend) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("RUN", "SCHEDULED", "PHASE", "COUNT", "P50", "P90", "P99", "EVENTS", "LOST", "TOP", "ALERTS"));
        for (TrendEntry e : trend) {
            String unit = e.getUnit() == null ? "" : " " + e.getUnit();
            rows.add(List.of(e.getJob(), e.getScheduledTime() == null ? "-" : e.getScheduledTime().replace(":00Z", "Z"),
                    e.getPhase() == null ? "-" : e.getPhase().name(), num(e.getCount()),
                    e.getP50() == null ? "-" : dec(e.getP50()) + unit, e.getP90() == null ? "-" : dec(e.getP90()) + unit,
                    e.getP99() == null ? "-" : dec(e.getP99()) + unit, num(e.getEventCount()), num(e.getLostEvents()),
                    top(e.getTop()), e.getAlerts() == null ? "-" : String.join("; ", e.getAlerts())));
        }
        return JobTable.layout(rows);
    }

    private static String top(List<CountSummary> top) {
        if (top == null || top.isEmpty()) {
            return "-";
        }
        return top.stream().map(c -> c.getName() + (c.getPid() == null ? "" : "[" + c.getPid() + "]") + "=" + c.getCount())
                .collect(Collectors.joining(","));
    }

    private static String num(Long n) {
        return n == null ? "-" : Long.toString(n);
    }

    private static String dec(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
