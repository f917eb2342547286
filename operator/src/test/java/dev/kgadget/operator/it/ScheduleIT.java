package dev.kgadget.operator.it;

import dev.kgadget.api.crd.AlertMetric;
import dev.kgadget.api.crd.ConcurrencyPolicy;
import dev.kgadget.api.crd.HistogramSummary;
import dev.kgadget.api.crd.ScheduleAlert;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.api.crd.TraceJobSpec;
import dev.kgadget.api.crd.TraceSchedule;
import dev.kgadget.api.crd.TraceScheduleSpec;
import dev.kgadget.api.crd.TraceScheduleStatus;
import dev.kgadget.api.crd.TrendEntry;
import dev.kgadget.daemon.testing.Workloads;
import dev.kgadget.operator.OperatorApp;
import dev.kgadget.operator.OperatorSettings;
import dev.kgadget.operator.testing.ApiServer;
import dev.kgadget.operator.testing.FakeCluster;
import dev.kgadget.operator.testing.MutableClock;
import dev.kgadget.operator.testing.TraceJobs;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TraceSchedules on the real API server with the real daemon and real workloads. Time is a
 * clock the test moves: a minute of schedule passes in milliseconds, no test waits for minutes.
 */
class ScheduleIT {
    private static KubernetesClient client;
    private static FakeCluster cluster;
    private static OperatorApp operator;
    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private String ns;
    private FakeCluster.FakePod pod;

    @BeforeAll
    static void start() {
        client = ApiServer.client();
        cluster = new FakeCluster(client);
        cluster.node("node-t", Map.of());
        cluster.startDaemon("node-t");
        operator = new OperatorApp(ApiServer.newClient(), OperatorSettings.of(FakeCluster.DAEMON_NAMESPACE)
                .withGrace(Duration.ofSeconds(3)).withMetricsPort(0).withClock(CLOCK, Duration.ofMillis(300))).start();
    }

    @AfterAll
    static void stop() {
        operator.close();
        cluster.close();
    }

    @BeforeEach
    void namespace() {
        ns = FakeCluster.uniqueNamespace("sched");
        cluster.namespace(ns);
        pod = cluster.pod(ns, "x-0", "node-t", Map.of("app", "x"));
        CLOCK.set(Instant.now());
    }

    /** A test's schedules stop with it: the clock moves on in the next test. */
    @org.junit.jupiter.api.AfterEach
    void deleteSchedules() {
        client.resources(TraceSchedule.class).inNamespace(ns).delete();
        client.resources(TraceJob.class).inNamespace(ns).delete();
    }

    @Test
    void firesARunAtEachDueTimeKeepsTheTrendAndPrunesOldRunsWithTheirResults() {
        TraceSchedule s = create(schedule("every-minute", "* * * * *", template("execsnoop", "1s"), spec -> {
            spec.setSuccessfulJobsHistoryLimit(1);
        }));
        Instant first = nextMinute();
        CLOCK.set(first.plusSeconds(1));
        TraceJob run1 = awaitJob("every-minute-" + first.getEpochSecond() / 60);
        assertThat(run1.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("TraceSchedule");
            assertThat(o.getUid()).isEqualTo(s.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
        });
        assertThat(run1.getMetadata().getLabels()).containsEntry(TraceSchedule.LABEL, "every-minute");
        assertThat(run1.getMetadata().getAnnotations()).containsEntry(TraceSchedule.SCHEDULED_AT, first.toString());
        awaitTrend(s, 1);
        String results1 = get(run1).getStatus().getResultsConfigMap();
        assertThat(client.configMaps().inNamespace(ns).withName(results1).get()).isNotNull();

        Instant second = first.plus(1, ChronoUnit.MINUTES);
        CLOCK.set(second.plusSeconds(1));
        awaitJob("every-minute-" + second.getEpochSecond() / 60);
        TraceScheduleStatus st = awaitTrend(s, 2);
        // history limit 1: the older run is deleted, and its results with it
        await().atMost(Duration.ofSeconds(20)).until(() -> get(run1) == null
                && client.configMaps().inNamespace(ns).withName(results1).get() == null);
        assertThat(jobs()).hasSize(1);
        assertThat(st.getTrend()).extracting(TrendEntry::getJob)
                .containsExactly("every-minute-" + first.getEpochSecond() / 60, "every-minute-" + second.getEpochSecond() / 60);
        assertThat(st.getTrend()).allSatisfy(e -> {
            assertThat(e.getPhase()).isEqualTo(TraceJobPhase.Succeeded);
            assertThat(e.getEventCount()).isZero();
            assertThat(e.getDurationSeconds()).isBetween(0.5, 10.0);
        });
        assertThat(st.getLastScheduleTime()).isEqualTo(second.toString());
        assertThat(st.getMissedRuns()).isNull();
    }

    @Test
    void forbidSkipsARunWhileThePreviousRunsAndReplaceStopsIt() {
        TraceSchedule s = create(schedule("long", "* * * * *", template("execsnoop", "5m"), spec -> { }));
        Instant first = nextMinute();
        CLOCK.set(first.plusSeconds(1));
        TraceJob a = awaitJob("long-" + first.getEpochSecond() / 60);
        awaitPhase(a, TraceJobPhase.Running);

        CLOCK.set(first.plus(1, ChronoUnit.MINUTES).plusSeconds(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(s).getSkippedRuns() != null);
        assertThat(status(s).getSkippedRuns()).isEqualTo(1);
        assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactly(a.getMetadata().getName());
        assertThat(events("SkippedRun")).singleElement().satisfies(e -> assertThat(e.getMessage())
                .contains("still runs (concurrencyPolicy Forbid)").contains(a.getMetadata().getName()));

        TraceSchedule replace = client.resource(s).get();
        replace.getSpec().setConcurrencyPolicy(ConcurrencyPolicy.Replace);
        client.resource(replace).update();
        Instant third = first.plus(2, ChronoUnit.MINUTES);
        CLOCK.set(third.plusSeconds(1));
        TraceJob c = awaitJob("long-" + third.getEpochSecond() / 60);
        await().atMost(Duration.ofSeconds(20)).until(() -> get(a) == null);
        assertThat(events("ReplacedRun")).singleElement().satisfies(e -> assertThat(e.getMessage()).contains(a.getMetadata().getName()));
        assertThat(c.getMetadata().getName()).isEqualTo("long-" + third.getEpochSecond() / 60);
    }

    @Test
    void aSuspendedScheduleStartsNothingUntilResumed() {
        TraceSchedule s = create(schedule("paused", "* * * * *", template("execsnoop", "1s"), spec -> spec.setSuspend(true)));
        Instant first = nextMinute();
        CLOCK.set(first.plus(2, ChronoUnit.MINUTES).plusSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(s).getLastScheduleTime() != null);
        sleepPolls();
        assertThat(jobs()).isEmpty();
        assertThat(status(s).getMissedRuns()).as("suspended time is not missed time").isNull();

        TraceSchedule resumed = client.resource(s).get();
        resumed.getSpec().setSuspend(false);
        client.resource(resumed).update();
        Instant next = first.plus(3, ChronoUnit.MINUTES);
        CLOCK.set(next.plusSeconds(1));
        awaitJob("paused-" + next.getEpochSecond() / 60);
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void runsDueWhileTheOperatorWasDownAreCountedAsMissed() {
        TraceSchedule s = create(schedule("catch-up", "* * * * *", template("execsnoop", "1s"), spec -> { }));
        Instant first = nextMinute();
        // five due times pass at once: the latest runs, four are missed
        Instant fifth = first.plus(4, ChronoUnit.MINUTES);
        CLOCK.set(fifth.plusSeconds(1));
        awaitJob("catch-up-" + fifth.getEpochSecond() / 60);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(s).getMissedRuns() != null);
        assertThat(status(s).getMissedRuns()).isEqualTo(4);
        assertThat(events("MissedSchedule")).singleElement().satisfies(e ->
                assertThat(e.getMessage()).startsWith("4 run(s) due by " + fifth + " were not started"));
        assertThat(jobs()).hasSize(1);

        // with a starting deadline, a run found 90 s late is missed too, and not started
        TraceSchedule strict = client.resource(s).get();
        strict.getSpec().setStartingDeadlineSeconds(30L);
        client.resource(strict).update();
        Instant sixth = fifth.plus(1, ChronoUnit.MINUTES);
        CLOCK.set(sixth.plusSeconds(90));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(s).getMissedRuns() == 5);
        sleepPolls();
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void aRunAboveAThresholdFiresConditionsAndEventsWithTheMeasuredValue() throws Exception {
        ScheduleAlert tooMany = new ScheduleAlert();
        tooMany.setMetric(AlertMetric.EVENT_COUNT);
        tooMany.setAbove(2.0);
        ScheduleAlert lost = new ScheduleAlert();
        lost.setMetric(AlertMetric.LOST_EVENTS);
        lost.setAbove(0.0);
        TraceSchedule s = create(schedule("execs", "* * * * *", template("execsnoop", "3s"),
                spec -> spec.setAlerts(List.of(tooMany, lost))));
        Instant first = nextMinute();
        CLOCK.set(first.plusSeconds(1));
        TraceJob run = awaitJob("execs-" + first.getEpochSecond() / 60);
        awaitAttached(run);
        pod.cgroup().run(Workloads.kgwork(), "exec", "5", "/bin/true");
        TraceScheduleStatus st = awaitTrend(s, 1);

        // kgwork's own exec and its five: 6 > 2; nothing lost
        assertThat(st.getTrend().get(0).getAlerts()).containsExactly("eventCount 6 > 2");
        assertThat(condition(st.getConditions(), "Alerting")).satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("ThresholdExceeded");
            assertThat(c.getMessage()).isEqualTo("run " + run.getMetadata().getName() + ": eventCount 6 > 2");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> get(run).getStatus().getConditions().stream()
                .anyMatch(c -> "Alert".equals(c.getType())));
        TraceJob alerted = get(run);
        assertThat(condition(alerted.getStatus().getConditions(), "Alert").getMessage()).isEqualTo("eventCount 6 > 2");
        // the operator's own condition is still there (conditions are a list-map keyed by type)
        assertThat(condition(alerted.getStatus().getConditions(), "Completed").getReason()).isEqualTo("Succeeded");
        assertThat(events("ThresholdExceeded")).extracting(e -> e.getInvolvedObject().getKind() + " " + e.getMessage())
                .containsExactlyInAnyOrder("TraceJob eventCount 6 > 2",
                        "TraceSchedule run " + run.getMetadata().getName() + ": eventCount 6 > 2");
    }

    @Test
    void theMetricsEndpointHasTheLastRunsHistogramBucketForBucket() throws Exception {
        Path data = Files.createTempFile(Workloads.diskDir(), "kgadget-sched", ".dat");
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.write(new byte[64 * 4096]);
            f.getFD().sync();
        }
        try {
            TraceSchedule s = create(schedule("disk", "*/5 * * * *", template("biolatency", "3s"), spec -> { }));
            Instant due = CLOCK.instant().truncatedTo(ChronoUnit.HOURS).plus(
                    (CLOCK.instant().atZone(java.time.ZoneOffset.UTC).getMinute() / 5 + 1) * 5L, ChronoUnit.MINUTES);
            Workloads.settleWriteback();
            CLOCK.set(due.plusSeconds(1));
            TraceJob run = awaitJob("disk-" + due.getEpochSecond() / 60);
            awaitAttached(run);
            pod.cgroup().run(Workloads.kgwork(), "directio", data.toString(), "60");
            awaitTrend(s, 1);
            HistogramSummary h = get(run).getStatus().getResult().getHistograms().get(0);
            assertThat(h.getCount()).isBetween(54L, 63L);

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + operator.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String labels = "gadget=\"biolatency\",histogram=\"" + h.getLabel() + "\",namespace=\"" + ns
                    + "\",schedule=\"disk\",unit=\"usecs\"";
            long cumulative = 0;
            for (int k = 0; k < h.getBuckets().size(); k++) {
                cumulative += h.getBuckets().get(k);
                String le = String.valueOf((double) ((1L << (k + 1)) - 1));
                assertThat(sample(metrics, "kgadget_schedule_last_run_latency_bucket{" + labels + ",le=\"" + le + "\"}"))
                        .as("bucket le=%s", le).isEqualTo(cumulative);
            }
            assertThat(sample(metrics, "kgadget_schedule_last_run_latency_count{" + labels + "}")).isEqualTo(h.getCount());
            assertThat(sample(metrics, "kgadget_schedule_runs_total{namespace=\"" + ns + "\",phase=\"Succeeded\",schedule=\"disk\"}"))
                    .isEqualTo(1);
            // labels print sorted: quantile before schedule
            assertThat(metrics).contains("kgadget_schedule_last_run_percentile{gadget=\"biolatency\",histogram=\""
                            + h.getLabel() + "\",namespace=\"" + ns + "\",quantile=\"0.99\",schedule=\"disk\",unit=\"usecs\"}")
                    .contains("kgadget_operator_reconciliations_total{kind=\"TraceSchedule\"}")
                    .contains("jvm_memory_used_bytes");
        } finally {
            Files.deleteIfExists(data);
        }
    }

    @Test
    void badCronExpressionsAndTimeZonesAreRejectedWithAReason() {
        for (String[] c : List.of(
                new String[]{"bad-minute", "61 * * * *", null, "InvalidSchedule", "spec.schedule: '61 * * * *' is not a valid cron expression"},
                new String[]{"four-fields", "* * * *", null, "InvalidSchedule", "spec.schedule: '* * * *' needs five fields"},
                new String[]{"macro", "@sometimes", null, "InvalidSchedule", "spec.schedule: unknown macro '@sometimes'"},
                new String[]{"mars", "0 * * * *", "Mars/Olympus", "InvalidTimeZone", "spec.timeZone: 'Mars/Olympus' is not an IANA time zone"})) {
            TraceSchedule s = create(schedule(c[0], c[1], template("execsnoop", "1s"), spec -> spec.setTimeZone(c[2])));
            await().atMost(Duration.ofSeconds(10)).until(() -> status(s).getConditions() != null);
            assertThat(condition(status(s).getConditions(), "ScheduleValid")).satisfies(x -> {
                assertThat(x.getStatus()).isEqualTo("False");
                assertThat(x.getReason()).isEqualTo(c[3]);
                assertThat(x.getMessage()).startsWith(c[4]);
            });
            assertThat(events(c[3])).anySatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo(c[0]));
        }
        CLOCK.set(nextMinute().plus(1, ChronoUnit.HOURS));
        sleepPolls();
        assertThat(jobs()).isEmpty();
    }

    // ---- helpers ----

    private static Instant nextMinute() {
        return CLOCK.instant().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    }

    private static TraceJobSpec template(String gadget, String duration) {
        return TraceJobs.spec(gadget, duration, null, Map.of("app", "x"));
    }

    private TraceSchedule schedule(String name, String cron, TraceJobSpec template,
                                   java.util.function.Consumer<TraceScheduleSpec> customize) {
        TraceScheduleSpec spec = new TraceScheduleSpec();
        spec.setSchedule(cron);
        spec.setJobTemplate(template);
        customize.accept(spec);
        TraceSchedule s = new TraceSchedule();
        s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        s.setSpec(spec);
        return s;
    }

    /**
     * Creates the schedule and brings the clock up to its creation time if it is behind: a due
     * time the tests compute from the clock must not fall before the schedule existed (a minute
     * boundary between the clock's setting and the creation would otherwise make no run).
     */
    private static TraceSchedule create(TraceSchedule s) {
        TraceSchedule created = client.resource(s).create();
        Instant at = Instant.parse(created.getMetadata().getCreationTimestamp());
        if (CLOCK.instant().isBefore(at)) {
            CLOCK.set(at);
        }
        return created;
    }

    private TraceJob awaitJob(String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> client.resources(TraceJob.class).inNamespace(ns).withName(name).get() != null);
        return client.resources(TraceJob.class).inNamespace(ns).withName(name).get();
    }

    private void awaitPhase(TraceJob j, TraceJobPhase phase) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            TraceJob t = get(j);
            return t != null && t.getStatus() != null && t.getStatus().getPhase() == phase;
        });
    }

    /** The daemon has attached: a workload from now on is traced from its first operation. */
    private void awaitAttached(TraceJob j) {
        await().atMost(Duration.ofSeconds(30)).until(() -> TraceJobs.attachedOn(get(j), "node-t"));
    }

    private TraceScheduleStatus awaitTrend(TraceSchedule s, int runs) {
        await().atMost(Duration.ofSeconds(40)).until(() -> status(s).getTrend() != null && status(s).getTrend().size() == runs);
        return status(s);
    }

    private TraceScheduleStatus status(TraceSchedule s) {
        TraceSchedule now = client.resources(TraceSchedule.class).inNamespace(ns).withName(s.getMetadata().getName()).get();
        return now.getStatus() == null ? new TraceScheduleStatus() : now.getStatus();
    }

    private TraceJob get(TraceJob j) {
        return client.resources(TraceJob.class).inNamespace(ns).withName(j.getMetadata().getName()).get();
    }

    private List<TraceJob> jobs() {
        return client.resources(TraceJob.class).inNamespace(ns).list().getItems();
    }

    private List<Event> events(String reason) {
        List<Event> out = new ArrayList<>();
        for (Event e : client.v1().events().inNamespace(ns).list().getItems()) {
            if (reason.equals(e.getReason())) {
                out.add(e);
            }
        }
        return out;
    }

    private static Condition condition(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
    }

    /** A few of the reconciler's polls, to show that nothing happens. */
    private static void sleepPolls() {
        try {
            Thread.sleep(1500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long sample(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
        if (!m.find()) {
            throw new AssertionError("no sample " + series + " in:\n" + exposition.lines()
                    .filter(l -> l.startsWith("kgadget_schedule")).reduce("", (a, b) -> a + b + "\n"));
        }
        return (long) Double.parseDouble(m.group(1));
    }
}
