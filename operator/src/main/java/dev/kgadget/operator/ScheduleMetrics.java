package dev.kgadget.operator;

import dev.kgadget.api.crd.HistogramSummary;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceSchedule;
import dev.kgadget.api.crd.TrendEntry;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per schedule, what Prometheus scrapes: the last finished run's histograms as Prometheus
 * histograms (the log2 buckets, {@code le} = 2^(k+1)-1 for bucket k: its largest integer value),
 * its percentiles, events, lost events and duration, and counters of runs by phase and of
 * missed and skipped runs (since this operator started).
 */
public final class ScheduleMetrics implements MultiCollector {
    /** The metric families served (counters with _total appended on the wire); the dashboard uses these. */
    public static final List<String> NAMES = List.of("kgadget_schedule_last_run_latency", "kgadget_schedule_last_run_percentile",
            "kgadget_schedule_last_run_events", "kgadget_schedule_last_run_lost_events",
            "kgadget_schedule_last_run_duration_seconds", "kgadget_schedule_runs", "kgadget_schedule_missed_runs",
            "kgadget_schedule_skipped_runs");

    private record Key(String namespace, String schedule) {
        Labels labels() {
            return Labels.of("namespace", namespace, "schedule", schedule);
        }
    }

    private record LastRun(String gadget, String job, List<HistogramSummary> histograms, TrendEntry entry) {
    }

    private final Map<Key, LastRun> last = new ConcurrentHashMap<>();
    private final Map<Key, Map<String, AtomicLong>> runs = new ConcurrentHashMap<>();
    private final Map<Key, AtomicLong> missed = new ConcurrentHashMap<>();
    private final Map<Key, AtomicLong> skipped = new ConcurrentHashMap<>();

    private static Key key(TraceSchedule s) {
        return new Key(s.getMetadata().getNamespace(), s.getMetadata().getName());
    }

    void finished(TraceSchedule s, TraceJob job, TrendEntry entry) {
        List<HistogramSummary> hs = job.getStatus().getResult() == null || job.getStatus().getResult().getHistograms() == null
                ? List.of() : List.copyOf(job.getStatus().getResult().getHistograms());
        last.put(key(s), new LastRun(job.getSpec().getGadget(), job.getMetadata().getName(), hs, entry));
        runs.computeIfAbsent(key(s), k -> new ConcurrentHashMap<>())
                .computeIfAbsent(String.valueOf(entry.getPhase()), k -> new AtomicLong()).incrementAndGet();
    }

    void missed(TraceSchedule s, long n) {
        missed.computeIfAbsent(key(s), k -> new AtomicLong()).addAndGet(n);
    }

    void skipped(TraceSchedule s) {
        skipped.computeIfAbsent(key(s), k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public MetricSnapshots collect() {
        HistogramSnapshot.Builder histograms = HistogramSnapshot.builder().name("kgadget_schedule_last_run_latency")
                .help("The last finished run's histogram of each schedule (log2 buckets; le is the largest value of a bucket)");
        GaugeSnapshot.Builder percentiles = GaugeSnapshot.builder().name("kgadget_schedule_last_run_percentile")
                .help("The last finished run's estimated percentiles, in the histogram's unit");
        GaugeSnapshot.Builder events = GaugeSnapshot.builder().name("kgadget_schedule_last_run_events")
                .help("Events the kernel handed over in the last finished run");
        GaugeSnapshot.Builder lost = GaugeSnapshot.builder().name("kgadget_schedule_last_run_lost_events")
                .help("Events the kernel could not hand over in the last finished run");
        GaugeSnapshot.Builder duration = GaugeSnapshot.builder().name("kgadget_schedule_last_run_duration_seconds")
                .help("From the last finished run's start to its end");
        CounterSnapshot.Builder byPhase = CounterSnapshot.builder().name("kgadget_schedule_runs")
                .help("Finished runs by final phase");
        CounterSnapshot.Builder missedRuns = CounterSnapshot.builder().name("kgadget_schedule_missed_runs")
                .help("Runs that were due but not started in time");
        CounterSnapshot.Builder skippedRuns = CounterSnapshot.builder().name("kgadget_schedule_skipped_runs")
                .help("Runs skipped because the previous one still ran (Forbid)");
        last.forEach((k, r) -> {
            Labels base = k.labels().add("gadget", r.gadget());
            for (HistogramSummary h : r.histograms()) {
                Labels l = base.add("histogram", h.getLabel() == null ? "" : h.getLabel()).add("unit", h.getUnit());
                histograms.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(buckets(h)).sum(sumEstimate(h)).labels(l).build());
                addPercentile(percentiles, l, "0.5", h.getP50());
                addPercentile(percentiles, l, "0.9", h.getP90());
                addPercentile(percentiles, l, "0.99", h.getP99());
            }
            TrendEntry e = r.entry();
            gauge(events, base, e.getEventCount());
            gauge(lost, base, e.getLostEvents());
            if (e.getDurationSeconds() != null) {
                duration.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(e.getDurationSeconds()).labels(base).build());
            }
        });
        runs.forEach((k, phases) -> phases.forEach((phase, n) -> byPhase.dataPoint(CounterSnapshot.CounterDataPointSnapshot
                .builder().value(n.get()).labels(k.labels().add("phase", phase)).build())));
        missed.forEach((k, n) -> missedRuns.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(n.get())
                .labels(k.labels()).build()));
        skipped.forEach((k, n) -> skippedRuns.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(n.get())
                .labels(k.labels()).build()));
        return new MetricSnapshots(histograms.build(), percentiles.build(), events.build(), lost.build(), duration.build(),
                byPhase.build(), missedRuns.build(), skippedRuns.build());
    }

    /** bcc's log2 buckets as Prometheus classic buckets: bucket k holds 2^k..2^(k+1)-1 (bucket 0: 0..1). */
    static ClassicHistogramBuckets buckets(HistogramSummary h) {
        List<Long> counts = h.getBuckets() == null ? List.of() : h.getBuckets();
        List<Double> bounds = new ArrayList<>();
        List<Long> perBucket = new ArrayList<>();
        for (int k = 0; k < counts.size(); k++) {
            bounds.add((double) ((1L << (k + 1)) - 1));
            perBucket.add(counts.get(k) == null ? 0L : counts.get(k));
        }
        bounds.add(Double.POSITIVE_INFINITY);
        perBucket.add(0L);
        return ClassicHistogramBuckets.of(bounds, perBucket);
    }

    /** The buckets' midpoints times their counts: Prometheus wants a sum, bcc's buckets keep none. */
    private static double sumEstimate(HistogramSummary h) {
        double sum = 0;
        List<Long> counts = h.getBuckets() == null ? List.of() : h.getBuckets();
        for (int k = 0; k < counts.size(); k++) {
            double lo = k == 0 ? 0 : (1L << k);
            double hi = (1L << (k + 1)) - 1;
            sum += (counts.get(k) == null ? 0 : counts.get(k)) * (lo + hi) / 2;
        }
        return sum;
    }

    private static void addPercentile(GaugeSnapshot.Builder b, Labels l, String q, Double v) {
        if (v != null) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(v).labels(l.add("quantile", q)).build());
        }
    }

    private static void gauge(GaugeSnapshot.Builder b, Labels l, Long v) {
        if (v != null) {
            b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(v).labels(l).build());
        }
    }
}
