package dev.kgadget.operator;

import dev.kgadget.api.crd.AlertMetric;
import dev.kgadget.api.crd.CountSummary;
import dev.kgadget.api.crd.HistogramSummary;
import dev.kgadget.api.crd.MergedResult;
import dev.kgadget.api.crd.ScheduleAlert;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceSchedule;
import dev.kgadget.api.crd.TrendEntry;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** A schedule's finished run, read from its TraceJob: the trend entry and the alerts it fires. */
final class ScheduleRuns {
    /** Count gadgets: rows kept per trend entry. */
    static final int TOP = 3;

    private ScheduleRuns() {
    }

    static TrendEntry entry(TraceJob job) {
        var status = job.getStatus();
        MergedResult r = status.getResult() == null ? new MergedResult() : status.getResult();
        TrendEntry e = new TrendEntry();
        e.setJob(job.getMetadata().getName());
        e.setPhase(status.getPhase());
        e.setScheduledTime(scheduledAt(job).toString());
        e.setCompletionTime(status.getCompletionTime());
        Instant start = instant(status.getStartTime());
        Instant end = instant(status.getCompletionTime());
        if (start != null && end != null) {
            e.setDurationSeconds(Duration.between(start, end).toMillis() / 1000.0);
        }
        e.setEventCount(r.getEventCount());
        e.setLostEvents(r.getLostEvents());
        if (r.getHistograms() != null && !r.getHistograms().isEmpty()) {
            HistogramSummary h = r.getHistograms().get(0);
            e.setCount(h.getCount());
            e.setUnit(h.getUnit());
            e.setP50(h.getP50());
            e.setP90(h.getP90());
            e.setP99(h.getP99());
        }
        if (r.getCounts() != null && !r.getCounts().isEmpty()) {
            e.setTop(r.getCounts().stream().sorted(Comparator.comparing(CountSummary::getCount,
                    Comparator.nullsFirst(Comparator.naturalOrder())).reversed()).limit(TOP).toList());
        }
        return e;
    }

    /** "p99 2047 usecs > 1000" for each alert the run is above; a run without the measured value fires none. */
    static List<String> fired(List<ScheduleAlert> alerts, TraceJob job) {
        List<String> out = new ArrayList<>();
        if (alerts == null) {
            return out;
        }
        MergedResult r = job.getStatus().getResult() == null ? new MergedResult() : job.getStatus().getResult();
        for (ScheduleAlert a : alerts) {
            Optional<Measured> m = measure(a, r);
            if (m.isPresent() && a.getAbove() != null && m.get().value() > a.getAbove()) {
                out.add(a.getMetric().wireName() + (a.getHistogram() == null ? "" : "[" + a.getHistogram() + "]") + " "
                        + number(m.get().value()) + m.get().unit() + " > " + number(a.getAbove()));
            }
        }
        return out;
    }

    private record Measured(double value, String unit) {
    }

    private static Optional<Measured> measure(ScheduleAlert a, MergedResult r) {
        if (a.getMetric() == AlertMetric.EVENT_COUNT) {
            return Optional.ofNullable(r.getEventCount()).map(v -> new Measured(v, ""));
        }
        if (a.getMetric() == AlertMetric.LOST_EVENTS) {
            return Optional.ofNullable(r.getLostEvents()).map(v -> new Measured(v, ""));
        }
        if (r.getHistograms() == null) {
            return Optional.empty();
        }
        Optional<HistogramSummary> h = a.getHistogram() == null ? r.getHistograms().stream().findFirst()
                : r.getHistograms().stream().filter(x -> a.getHistogram().equals(x.getLabel())).findFirst();
        return h.map(x -> {
            Double v = switch (a.getMetric()) {
                case P50 -> x.getP50();
                case P90 -> x.getP90();
                default -> x.getP99();
            };
            return v == null ? null : new Measured(v, " " + x.getUnit());
        });
    }

    static Instant scheduledAt(TraceJob job) {
        var ann = job.getMetadata().getAnnotations();
        Instant t = ann == null ? null : instant(ann.get(TraceSchedule.SCHEDULED_AT));
        return t != null ? t : Optional.ofNullable(instant(job.getMetadata().getCreationTimestamp())).orElse(Instant.EPOCH);
    }

    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.1f", v);
    }

    static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
