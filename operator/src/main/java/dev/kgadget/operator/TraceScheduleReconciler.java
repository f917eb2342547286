package dev.kgadget.operator;

import dev.kgadget.api.crd.ConcurrencyPolicy;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.api.crd.TraceSchedule;
import dev.kgadget.api.crd.TraceScheduleSpec;
import dev.kgadget.api.crd.TraceScheduleStatus;
import dev.kgadget.api.crd.TrendEntry;
import dev.kgadget.api.schedule.ScheduleCron;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * TraceSchedule → TraceJobs, the way the CronJob controller makes Jobs: at each due time a
 * TraceJob (named after the schedule and the due minute, so a retry never makes two) owned by
 * the schedule; overlapping runs per concurrencyPolicy; due times that passed unrun (the
 * operator was down, or startingDeadlineSeconds passed) counted as missed with an Event.
 * Each finished run goes into status.trend, is checked against the alerts, and updates the
 * metrics; finished TraceJobs beyond the history limits are deleted (their results ConfigMaps
 * with them). Time comes from an injected clock, so tests move it instead of waiting.
 */
@ControllerConfiguration(name = "traceschedule")
public final class TraceScheduleReconciler implements Reconciler<TraceSchedule> {
    private static final Logger LOG = LoggerFactory.getLogger(TraceScheduleReconciler.class);
    /** As CronJob: more due times than this since the last one means the clock or schedule is off; start anew. */
    static final int MAX_DUE = 100;
    private static final String RUNS = "scheduled-runs";

    private final KubernetesClient client;
    private final StatusWriter statusWriter;
    private final KubeEvents events;
    private final ScheduleMetrics metrics;
    private final Clock clock;
    private final Duration poll;
    private InformerEventSource<TraceJob, TraceSchedule> scheduledRuns;

    public TraceScheduleReconciler(KubernetesClient client, StatusWriter statusWriter, KubeEvents events,
                                   ScheduleMetrics metrics, Clock clock, Duration poll) {
        this.client = client;
        this.statusWriter = statusWriter;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.poll = poll;
    }

    /** The scheduled runs (TraceJobs labelled with their schedule), mapped back by their owner reference. */
    @Override
    public List<EventSource<?, TraceSchedule>> prepareEventSources(EventSourceContext<TraceSchedule> context) {
        var runs = InformerEventSourceConfiguration.from(TraceJob.class, TraceSchedule.class)
                .withName(RUNS)
                .withLabelSelector(TraceSchedule.LABEL)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(TraceSchedule.class))
                .build();
        scheduledRuns = new InformerEventSource<>(runs, context);
        return List.of(scheduledRuns);
    }

    /*
     * Read-your-writes: the next reconcile must see the runs and the status this one wrote, or it
     * would start or stop a run for the same due time twice, or write the trend without a run it
     * just recorded. JOSDK keeps what we hand it here until its informers catch up.
     */
    private void cacheCreated(TraceJob run) {
        scheduledRuns.handleRecentResourceCreate(ResourceID.fromResource(run), run);
    }

    @Override
    public UpdateControl<TraceSchedule> reconcile(TraceSchedule schedule, Context<TraceSchedule> context) {
        Instant now = clock.instant();
        TraceScheduleSpec spec = schedule.getSpec();
        TraceScheduleStatus old = schedule.getStatus() == null ? new TraceScheduleStatus() : schedule.getStatus();
        TraceScheduleStatus status = copy(old);
        status.setObservedGeneration(schedule.getMetadata().getGeneration());

        ScheduleCron cron;
        try {
            cron = ScheduleCron.parse(spec.getSchedule(), spec.getTimeZone());
            Optional<SpecValidation.Invalid> invalid = SpecValidation.check(spec.getJobTemplate());
            if (invalid.isPresent()) {
                throw new ScheduleCron.InvalidScheduleException("InvalidJobTemplate",
                        "spec.jobTemplate: " + invalid.get().message());
            }
        } catch (ScheduleCron.InvalidScheduleException e) {
            if (setCondition(status, "ScheduleValid", "False", e.reason(), e.getMessage(), now)) {
                events.warning(schedule, e.reason(), e.getMessage());
            }
            write(context, schedule, old, status);
            return UpdateControl.noUpdate();
        }
        setCondition(status, "ScheduleValid", "True", "Valid", "runs at '" + spec.getSchedule() + "' ("
                + (spec.getTimeZone() == null ? "UTC" : spec.getTimeZone()) + ")", now);

        // the schedule's runs from the informer's cache (they also wake this reconciler when they change)
        List<TraceJob> jobs = new ArrayList<>(context.getSecondaryResources(TraceJob.class));
        jobs.removeIf(j -> j.getMetadata().getDeletionTimestamp() != null);
        jobs.sort(Comparator.comparing(ScheduleRuns::scheduledAt));
        record(schedule, status, jobs, now);
        prune(schedule, jobs);

        List<TraceJob> active = jobs.stream().filter(j -> !isFinal(j)).toList();
        active = schedule(schedule, status, cron, active, now);
        status.setActive(active.isEmpty() ? null : active.stream().map(j -> j.getMetadata().getName()).toList());
        write(context, schedule, old, status);

        Duration untilNext = cron.nextAfter(now).map(t -> Duration.between(now, t)).orElse(poll);
        Duration wait = untilNext.compareTo(poll) < 0 ? untilNext.plusMillis(50) : poll;
        return UpdateControl.<TraceSchedule>noUpdate().rescheduleAfter(Math.max(50, wait.toMillis()));
    }

    /** Finished runs not yet in the trend: entries, alerts, metrics. */
    private void record(TraceSchedule schedule, TraceScheduleStatus status, List<TraceJob> jobs, Instant now) {
        List<TrendEntry> trend = status.getTrend() == null ? new ArrayList<>() : new ArrayList<>(status.getTrend());
        Set<String> known = new HashSet<>();
        trend.forEach(e -> known.add(e.getJob()));
        Instant oldestKept = trend.size() >= limit(schedule.getSpec().getTrendLength(), 10)
                ? ScheduleRuns.instant(trend.get(0).getScheduledTime()) : null;
        for (TraceJob job : jobs) {
            if (!isFinal(job) || known.contains(job.getMetadata().getName())
                    || oldestKept != null && !ScheduleRuns.scheduledAt(job).isAfter(oldestKept)) {
                continue;
            }
            TrendEntry entry = ScheduleRuns.entry(job);
            List<String> fired = ScheduleRuns.fired(schedule.getSpec().getAlerts(), job);
            entry.setAlerts(fired.isEmpty() ? null : fired);
            trend.add(entry);
            metrics.finished(schedule, job, entry);
            if (job.getStatus().getPhase() == TraceJobPhase.Succeeded) {
                status.setLastSuccessfulTime(job.getStatus().getCompletionTime());
            }
            verdict(schedule, status, job, fired, now);
        }
        trend.sort(Comparator.comparing(TrendEntry::getScheduledTime));
        int keep = limit(schedule.getSpec().getTrendLength(), 10);
        while (trend.size() > keep) {
            trend.remove(0);
        }
        status.setTrend(trend.isEmpty() ? null : trend);
    }

    /** A run's alerts: the Alert condition on it and the Alerting condition on the schedule, each with an Event. */
    private void verdict(TraceSchedule schedule, TraceScheduleStatus status, TraceJob job, List<String> fired, Instant now) {
        if (schedule.getSpec().getAlerts() == null || schedule.getSpec().getAlerts().isEmpty()) {
            return;
        }
        String run = job.getMetadata().getName();
        if (fired.isEmpty()) {
            statusWriter.applyJobAlert(job, condition("Alert", "False", "WithinThresholds", "within every threshold", now));
            setCondition(status, "Alerting", "False", "WithinThresholds", "run " + run + " was within every threshold", now);
            return;
        }
        String what = String.join("; ", fired);
        statusWriter.applyJobAlert(job, condition("Alert", "True", "ThresholdExceeded", what, now));
        events.warning(job, "ThresholdExceeded", what);
        setCondition(status, "Alerting", "True", "ThresholdExceeded", "run " + run + ": " + what, now);
        events.warning(schedule, "ThresholdExceeded", "run " + run + ": " + what);
    }

    /** Finished runs beyond the history limits go, oldest first (the TraceJob cleaner removes their results). */
    private void prune(TraceSchedule schedule, List<TraceJob> jobs) {
        int keepOk = limit(schedule.getSpec().getSuccessfulJobsHistoryLimit(), 3);
        int keepFailed = limit(schedule.getSpec().getFailedJobsHistoryLimit(), 1);
        List<TraceJob> ok = jobs.stream().filter(j -> isFinal(j) && j.getStatus().getPhase() != TraceJobPhase.Failed).toList();
        List<TraceJob> failed = jobs.stream().filter(j -> isFinal(j) && j.getStatus().getPhase() == TraceJobPhase.Failed).toList();
        for (List<TraceJob> group : List.of(ok.subList(0, Math.max(0, ok.size() - keepOk)),
                failed.subList(0, Math.max(0, failed.size() - keepFailed)))) {
            for (TraceJob j : group) {
                client.resource(j).delete();
                LOG.info("pruned {}/{} of schedule {}", j.getMetadata().getNamespace(), j.getMetadata().getName(),
                        schedule.getMetadata().getName());
            }
        }
    }

    /** The runs due since the last one: start the latest (or skip/replace), count the others as missed. */
    private List<TraceJob> schedule(TraceSchedule schedule, TraceScheduleStatus status, ScheduleCron cron,
                                    List<TraceJob> active, Instant now) {
        TraceScheduleSpec spec = schedule.getSpec();
        Instant last = ScheduleRuns.instant(status.getLastScheduleTime());
        if (last == null) {
            last = ScheduleRuns.instant(schedule.getMetadata().getCreationTimestamp());
        }
        if (last == null || last.isAfter(now)) {
            last = now;
        }
        ScheduleCron.Due due = cron.dueBetween(last, now, MAX_DUE);
        if (due.count() == 0) {
            return active;
        }
        Instant t = due.latest();
        status.setLastScheduleTime(t.toString());
        if (Boolean.TRUE.equals(spec.getSuspend())) {
            return active; // suspended: due times pass without runs (and are not "missed")
        }
        long missed = due.count() - 1L;
        boolean late = spec.getStartingDeadlineSeconds() != null
                && Duration.between(t, now).getSeconds() > spec.getStartingDeadlineSeconds();
        if (late) {
            missed++;
        }
        if (missed > 0) {
            status.setMissedRuns(orZero(status.getMissedRuns()) + missed);
            metrics.missed(schedule, missed);
            events.warning(schedule, "MissedSchedule", missed + " run(s) due by " + t + " were not started"
                    + (late ? " (more than startingDeadlineSeconds=" + spec.getStartingDeadlineSeconds() + " late)" : "")
                    + "; was the operator down?");
        }
        if (late) {
            return active;
        }
        if (!active.isEmpty()) {
            if (spec.getConcurrencyPolicy() == ConcurrencyPolicy.Replace) {
                for (TraceJob j : active) {
                    client.resource(j).delete();
                }
                events.normal(schedule, "ReplacedRun", "stopped " + names(active) + " for the run due at " + t);
                active = List.of();
            } else {
                status.setSkippedRuns(orZero(status.getSkippedRuns()) + 1);
                metrics.skipped(schedule);
                events.normal(schedule, "SkippedRun", "the run due at " + t + " was skipped: " + names(active)
                        + " still runs (concurrencyPolicy Forbid)");
                return active;
            }
        }
        TraceJob created = create(schedule, t);
        List<TraceJob> now2 = new ArrayList<>(active);
        if (created != null) {
            cacheCreated(created);
            now2.add(created);
        }
        return now2;
    }

    private TraceJob create(TraceSchedule schedule, Instant t) {
        String name = jobName(schedule.getMetadata().getName(), t);
        TraceJob job = new TraceJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(schedule.getMetadata().getNamespace())
                .withLabels(Map.of(TraceSchedule.LABEL, schedule.getMetadata().getName()))
                .withAnnotations(Map.of(TraceSchedule.SCHEDULED_AT, t.toString()))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(schedule.getApiVersion())
                        .withKind(schedule.getKind()).withName(schedule.getMetadata().getName())
                        .withUid(schedule.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
                .build());
        job.setSpec(schedule.getSpec().getJobTemplate());
        try {
            TraceJob created = client.resource(job).create();
            events.normal(schedule, "SuccessfulCreate", "created tracejob " + name + " for the run due at " + t);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return null; // made by an earlier attempt of this same reconcile
            }
            throw e;
        }
    }

    /** {@code <schedule>-<minutes since the epoch>}, as CronJob names its Jobs (short enough for any schedule name). */
    static String jobName(String schedule, Instant t) {
        String suffix = "-" + (t.getEpochSecond() / 60);
        String base = schedule.length() + suffix.length() > 63 ? schedule.substring(0, 63 - suffix.length()) : schedule;
        return base + suffix;
    }

    private void write(Context<TraceSchedule> context, TraceSchedule schedule, TraceScheduleStatus old,
                       TraceScheduleStatus status) {
        if (!Objects.equals(Json.write(old, false), Json.write(status, false))) {
            TraceSchedule written = statusWriter.applyScheduleStatus(schedule, status);
            context.eventSourceRetriever().getControllerEventSource()
                    .handleRecentResourceUpdate(ResourceID.fromResource(schedule), written, schedule);
        }
    }

    /** Sets a condition; true when its status or reason changed (then an Event is worth it). */
    private static boolean setCondition(TraceScheduleStatus status, String type, String value, String reason, String message,
                                        Instant now) {
        List<Condition> conditions = status.getConditions() == null ? new ArrayList<>() : new ArrayList<>(status.getConditions());
        Condition existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        boolean changed = existing == null || !value.equals(existing.getStatus()) || !reason.equals(existing.getReason());
        if (existing != null && !changed && Objects.equals(message, existing.getMessage())) {
            return false;
        }
        conditions.removeIf(c -> type.equals(c.getType()));
        Condition c = condition(type, value, reason, message, now);
        if (!changed) {
            c.setLastTransitionTime(existing.getLastTransitionTime());
        }
        conditions.add(c);
        conditions.sort(Comparator.comparing(Condition::getType));
        status.setConditions(conditions);
        return changed;
    }

    private static Condition condition(String type, String value, String reason, String message, Instant now) {
        return new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withLastTransitionTime(now.toString()).build();
    }

    private static TraceScheduleStatus copy(TraceScheduleStatus s) {
        return Json.read(Json.write(s, false), TraceScheduleStatus.class);
    }

    private static boolean isFinal(TraceJob j) {
        return j.getStatus() != null && j.getStatus().getPhase() != null && j.getStatus().getPhase().isFinal();
    }

    private static int limit(Integer v, int dflt) {
        return v == null ? dflt : v;
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    private static String names(List<TraceJob> jobs) {
        return String.join(", ", jobs.stream().map(j -> j.getMetadata().getName()).toList());
    }
}
