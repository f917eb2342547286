package dev.kgadget.daemon.status;

import dev.kgadget.api.crd.CountSummary;
import dev.kgadget.api.crd.HistogramSummary;
import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.ProgramCost;
import dev.kgadget.daemon.DaemonThreads;
import dev.kgadget.daemon.cgroup.ContainerCgroups.Resolution;
import dev.kgadget.daemon.jobs.NodeJob;
import dev.kgadget.daemon.jobs.NodeJobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Publishes this node's part of each job: its entry of the TraceJob's {@code status.nodes} and
 * its key of the results ConfigMap, both by server-side apply with this node's own field manager
 * ({@code kgadget-daemon-<node>}, forced), so nodes never overwrite each other and never touch
 * what the operator writes.
 *
 * <ul>
 *   <li>Status: the apply body holds only apiVersion, kind, metadata (name, namespace) and
 *   {@code status.nodes = [this node's entry]}; {@code status.nodes} is a list-map keyed by
 *   {@code node}. Written when the job starts running (Running), ends (Succeeded) or cannot run
 *   (Failed).</li>
 *   <li>Results ConfigMap (name from {@link NodeJob#resultsConfigMap()}, job namespace): key
 *   {@code node.<node>.json} = the node's full result JSON, cut to the per-node budget
 *   ({@link ResultJson#withinBudget}). The operator creates the ConfigMap (owned by the
 *   TraceJob) before it dispatches; the daemon does not create it: it checks that it exists (a
 *   GET), waiting up to {@value #CONFIGMAP_WAIT_SECONDS} s for it, then gives up with a log line;
 *   one owned by another TraceJob uid (a later namesake) is left alone. Its uid goes into the
 *   apply as a precondition (not a claimed field), so an apply racing with the ConfigMap's deletion
 *   fails instead of re-creating it ownerless. It is written before the Succeeded status, so the
 *   operator finds every node's part once it sees the node done.</li>
 * </ul>
 *
 * <p>Writes run off the caller's thread (NodeJobs calls in while it holds its lock), in order per
 * job; 409, 429, 5xx and connection failures are retried a few times with a short backoff; a
 * write that still fails is logged, never thrown. {@link #close()} waits for pending writes.
 */
public final class StatusPublisher implements NodeJobs.Publisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);

    /** Default per-node share of the results ConfigMap (1 MiB in total for all nodes). */
    public static final long DEFAULT_RESULTS_BUDGET_BYTES = 256 * 1024;
    /** Count rows in a status entry at most (the full list is in the ConfigMap). */
    public static final int MAX_STATUS_COUNT_ROWS = 50;
    public static final String FIELD_MANAGER_PREFIX = "kgadget-daemon-";

    static final int MAX_ATTEMPTS = 5;
    static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    /** How long to wait for the operator's results ConfigMap to appear. */
    static final int CONFIGMAP_WAIT_SECONDS = 5;
    static final Duration CONFIGMAP_WAIT = Duration.ofSeconds(CONFIGMAP_WAIT_SECONDS);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

    private final KubeApi api;
    private final String node;
    private final long resultsBudgetBytes;
    private final Duration firstBackoff;
    private final ExecutorService writers;
    /** The last write queued per job: the next one runs after it. Guarded by itself. */
    private final Map<String, CompletableFuture<Void>> tails = new HashMap<>();

    public StatusPublisher(KubeApi api, String node) {
        this(api, node, DEFAULT_RESULTS_BUDGET_BYTES);
    }

    /** @param resultsBudgetBytes this node's share of the results ConfigMap, in UTF-8 bytes */
    public StatusPublisher(KubeApi api, String node, long resultsBudgetBytes) {
        this(api, node, resultsBudgetBytes, FIRST_BACKOFF);
    }

    StatusPublisher(KubeApi api, String node, long resultsBudgetBytes, Duration firstBackoff) {
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("the node name is required");
        }
        if (resultsBudgetBytes <= 0) {
            throw new IllegalArgumentException("the results budget must be positive, got " + resultsBudgetBytes);
        }
        this.api = Objects.requireNonNull(api, "api");
        this.node = node;
        this.resultsBudgetBytes = resultsBudgetBytes;
        this.firstBackoff = firstBackoff;
        this.writers = DaemonThreads.idlePool("status-publisher", 4);
    }

    public String fieldManager() {
        return FIELD_MANAGER_PREFIX + node;
    }

    /** The results ConfigMap key of a node. */
    public static String resultsKey(String node) {
        return "node." + node + ".json";
    }

    @Override
    public void running(NodeJob job, List<Resolution> resolutions, Instant startedAt) {
        NodeStatusEntry entry = runningEntry(node, resolutions, startedAt);
        enqueue(job, () -> applyStatus(job, entry));
    }

    /** The running entry again, with the counts so far (the whole entry: this manager owns every field it sends). */
    @Override
    public void progress(NodeJob job, List<Resolution> resolutions, Instant startedAt, long events, long lostEvents) {
        NodeStatusEntry entry = runningEntry(node, resolutions, startedAt);
        entry.setEvents(events);
        entry.setLostEvents(lostEvents);
        enqueue(job, () -> applyStatus(job, entry));
    }

    @Override
    public void finished(NodeJob job, List<Resolution> resolutions, GadgetResult result) {
        enqueue(job, () -> {
            ResultJson.Budgeted doc = ResultJson.withinBudget(result, node, resultsBudgetBytes);
            boolean written = writeResults(job, doc);
            applyStatus(job, finishedEntry(node, resolutions, result, doc, written || blank(job.resultsConfigMap())));
        });
    }

    @Override
    public void failed(NodeJob job, List<Resolution> resolutions, String reason, String message) {
        NodeStatusEntry entry = failedEntry(node, resolutions, reason, message, Instant.now());
        enqueue(job, () -> applyStatus(job, entry));
    }

    // ---- the entries (pure) ----

    static NodeStatusEntry runningEntry(String node, List<Resolution> resolutions, Instant now) {
        NodeStatusEntry e = base(node, resolutions);
        e.setPhase(NodeTracePhase.Running);
        e.setReason("Started");
        e.setMessage("tracing " + e.getCgroupsMatched() + " cgroup(s)" + unresolvedNote(resolutions));
        e.setStartedAt(time(now));
        return e;
    }

    static NodeStatusEntry failedEntry(String node, List<Resolution> resolutions, String reason, String message,
                                       Instant now) {
        NodeStatusEntry e = base(node, resolutions);
        e.setPhase(NodeTracePhase.Failed);
        e.setReason(reason);
        e.setMessage(message);
        e.setFinishedAt(time(now));
        return e;
    }

    /**
     * @param resultsWritten false when this node's part of the results ConfigMap could not be
     *                       written (the message says so)
     */
    static NodeStatusEntry finishedEntry(String node, List<Resolution> resolutions, GadgetResult result,
                                         ResultJson.Budgeted doc, boolean resultsWritten) {
        NodeStatusEntry e = base(node, resolutions);
        e.setPhase(NodeTracePhase.Succeeded);
        e.setReason("cancelled".equals(result.stopReason()) ? "Stopped" : "Completed");
        StringBuilder message = new StringBuilder("traced " + e.getCgroupsMatched() + " cgroup(s) for "
                + result.durationMs() + " ms" + unresolvedNote(resolutions));
        if (doc.truncated()) {
            message.append("; results ConfigMap truncated to fit: ").append(doc.eventsDropped())
                    .append(" event(s)");
            if (doc.countsDropped() > 0) {
                message.append(" and ").append(doc.countsDropped()).append(" count row(s)");
            }
            message.append(" dropped");
        }
        if (!resultsWritten) {
            message.append("; this node's results could not be written to the results ConfigMap");
        }
        e.setMessage(message.toString());
        e.setEvents(result.eventCount());
        e.setLostEvents(result.lostEvents());
        ProgramCost total = ProgramCost.total(result.programs());
        e.setKernelNsPerEvent(Math.round(total.nsPerRun() * 10) / 10.0);
        e.setProgramRuns(total.runCount());
        if (!result.histograms().isEmpty()) {
            e.setHistograms(result.histograms().stream().map(HistogramSummary::of).toList());
        }
        if (!result.counts().isEmpty()) {
            e.setCounts(result.counts().stream().limit(countRows(result)).map(CountSummary::of).toList());
        }
        e.setStartedAt(time(result.startedAt()));
        e.setFinishedAt(time(result.startedAt().plusMillis(result.durationMs())));
        return e;
    }

    /** The rows a status entry keeps: the gadget's {@code top} parameter if it has one, at most 50. */
    static int countRows(GadgetResult result) {
        Object top = result.params().get("top");
        long n = top instanceof Number num ? num.longValue() : Long.MAX_VALUE;
        return (int) Math.max(0, Math.min(n, MAX_STATUS_COUNT_ROWS));
    }

    private static NodeStatusEntry base(String node, List<Resolution> resolutions) {
        NodeStatusEntry e = new NodeStatusEntry(node);
        e.setCgroupsMatched((int) resolutions.stream().filter(Resolution::resolved).mapToLong(Resolution::cgroupId)
                .distinct().count());
        e.setContainersUnresolved((int) resolutions.stream().filter(r -> !r.resolved()).count());
        return e;
    }

    private static String unresolvedNote(List<Resolution> resolutions) {
        List<Resolution> unresolved = resolutions.stream().filter(r -> !r.resolved()).toList();
        if (unresolved.isEmpty()) {
            return "";
        }
        return "; " + unresolved.size() + " container(s) unresolved, e.g. " + unresolved.get(0).error();
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /**
     * The server-side apply object of a node's status entry: apiVersion, kind, metadata (name,
     * namespace) and {@code status.nodes = [entry]}, nothing else.
     */
    static Map<String, Object> statusApply(NodeJob job, NodeStatusEntry entry) {
        return Map.of("apiVersion", TraceJob.GROUP + "/" + TraceJob.VERSION, "kind", TraceJob.KIND,
                "metadata", Map.of("name", job.name(), "namespace", job.namespace()),
                "status", Map.of("nodes", List.of(entry)));
    }

    /**
     * The server-side apply object of a node's part of the results ConfigMap: apiVersion, kind,
     * metadata (name, namespace, uid) and {@code data} with this node's key only. The uid (of the
     * ConfigMap the operator created) is a precondition: the apply fails rather than re-create a
     * ConfigMap deleted meanwhile (it would have no owner, and would never be collected).
     */
    static Map<String, Object> configMapApply(NodeJob job, String configMapUid, String node, String json) {
        return Map.of("apiVersion", "v1", "kind", "ConfigMap",
                "metadata", Map.of("name", job.resultsConfigMap(), "namespace", job.namespace(), "uid", configMapUid),
                "data", Map.of(resultsKey(node), json));
    }

    static String traceJobStatusPath(NodeJob job) {
        return "/apis/" + TraceJob.GROUP + "/" + TraceJob.VERSION + "/namespaces/" + job.namespace() + "/"
                + TraceJob.PLURAL + "/" + job.name() + "/status";
    }

    static String configMapPath(String namespace, String name) {
        return "/api/v1/namespaces/" + namespace + "/configmaps/" + name;
    }

    // ---- the writes ----

    private void applyStatus(NodeJob job, NodeStatusEntry entry) {
        Map<String, Object> body = statusApply(job, entry);
        boolean ok = withRetries("status of TraceJob " + job.namespace() + "/" + job.name(), () -> {
            api.apply(traceJobStatusPath(job), fieldManager(), body);
            return true;
        });
        if (ok) {
            LOG.debug("wrote {} of {} to the TraceJob status", entry.getPhase(), job.display());
        }
    }

    /** @return whether this node's part is in the ConfigMap now */
    private boolean writeResults(NodeJob job, ResultJson.Budgeted doc) {
        String name = job.resultsConfigMap();
        if (blank(name)) {
            LOG.info("{} names no results ConfigMap; its result is only summarised in the status", job.display());
            return false;
        }
        Object target = awaitConfigMap(job.namespace(), name);
        if (target == null) {
            LOG.warn("results ConfigMap {}/{} of {} did not appear within {} s; this node's part ({} bytes) is not"
                            + " written", job.namespace(), name, job.display(), CONFIGMAP_WAIT.toSeconds(), doc.bytes());
            return false;
        }
        if (!ownedByThisJob(target, job)) {
            LOG.warn("results ConfigMap {}/{} belongs to another TraceJob than {} (uid {}; re-created meanwhile?);"
                    + " this node's part is not written", job.namespace(), name, job.display(), job.jobUid());
            return false;
        }
        if (!doc.fits()) {
            LOG.warn("the result of {} is {} bytes even without events and count rows (budget {}); writing it anyway",
                    job.display(), doc.bytes(), resultsBudgetBytes);
        }
        Map<String, Object> body = configMapApply(job, JsonTree.text(target, "metadata", "uid"), node, doc.json());
        return withRetries("results ConfigMap " + job.namespace() + "/" + name, () -> {
            try {
                api.apply(configMapPath(job.namespace(), name), fieldManager(), body);
                return true;
            } catch (KubeApiException e) {
                if (uidPreconditionFailed(e)) {
                    LOG.warn("results ConfigMap {}/{} of {} was deleted or replaced meanwhile; this node's part is not"
                            + " written", job.namespace(), name, job.display());
                    return false;
                }
                throw e;
            }
        });
    }

    /** The ConfigMap (the operator creates it), waiting up to {@link #CONFIGMAP_WAIT} for it; null if none. */
    private Object awaitConfigMap(String namespace, String name) {
        long end = System.nanoTime() + CONFIGMAP_WAIT.toNanos();
        while (true) {
            try {
                Object cm = api.get(configMapPath(namespace, name));
                if (cm != null) {
                    return cm;
                }
            } catch (KubeApiException e) {
                LOG.debug("reading ConfigMap {}/{}: {}", namespace, name, e.getMessage());
            }
            if (System.nanoTime() >= end || !sleep(Duration.ofMillis(500))) {
                return null;
            }
        }
    }

    /** Unless the ConfigMap names a TraceJob owner with another uid (a namesake of a later job). */
    static boolean ownedByThisJob(Object cm, NodeJob job) {
        for (Object owner : JsonTree.list(cm, "metadata", "ownerReferences")) {
            if (TraceJob.KIND.equals(JsonTree.text(owner, "kind")) && !job.jobUid().equals(JsonTree.text(owner, "uid"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The apply named a ConfigMap uid that is not there: 409 "uid mismatch" when none of that name
     * exists any more, 422 "metadata.uid ... immutable" when another one of that name does.
     */
    static boolean uidPreconditionFailed(KubeApiException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return (e.code() == 409 && m.contains("uid mismatch")) || (e.code() == 422 && m.contains("metadata.uid"));
    }

    /** Runs a write, retrying what may pass on a second try; false (logged) when it did not succeed. */
    private boolean withRetries(String what, Supplier<Boolean> write) {
        Duration backoff = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (KubeApiException e) {
                int code = e.code();
                if (code == 404) {
                    LOG.warn("cannot write the {}: it does not exist (deleted?)", what);
                    return false;
                }
                if (!retriable(code) || attempt == MAX_ATTEMPTS) {
                    LOG.warn("cannot write the {} (attempt {}): {}", what, attempt, e.getMessage());
                    return false;
                }
                LOG.debug("writing the {} failed ({}); retrying in {} ms", what, e.getMessage(), backoff.toMillis());
            } catch (RuntimeException e) {
                LOG.warn("cannot write the " + what, e);
                return false;
            }
            if (!sleep(backoff)) {
                return false;
            }
            backoff = backoff.multipliedBy(2);
        }
    }

    /** Conflicts, throttling, server errors and failures to connect (no HTTP code: 0 or -1). */
    static boolean retriable(int httpCode) {
        return httpCode <= 0 || httpCode == 409 || httpCode == 429 || httpCode >= 500;
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Queues a write after the job's previous one; never throws into the caller. */
    private void enqueue(NodeJob job, Runnable write) {
        Runnable safe = () -> {
            try {
                write.run();
            } catch (RuntimeException e) {
                LOG.warn("publishing the state of " + job.display() + " failed", e);
            }
        };
        try {
            synchronized (tails) {
                CompletableFuture<Void> previous = tails.get(job.jobUid());
                CompletableFuture<Void> next = previous == null ? CompletableFuture.runAsync(safe, writers)
                        : previous.thenRunAsync(safe, writers);
                tails.put(job.jobUid(), next);
                next.whenComplete((v, t) -> {
                    synchronized (tails) {
                        tails.remove(job.jobUid(), next);
                    }
                });
            }
        } catch (RuntimeException e) { // rejected after close()
            LOG.warn("cannot publish the state of {}: {}", job.display(), e.toString());
        }
    }

    /** Waits (bounded) for the queued writes, then stops the writer threads. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> pending;
        synchronized (tails) {
            pending = List.copyOf(tails.values());
        }
        try {
            CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).get(CLOSE_WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{} status write(s) did not finish before shutdown", pending.stream().filter(f -> !f.isDone()).count());
        }
        writers.shutdown();
    }
}
