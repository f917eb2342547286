package dev.kgadget.operator;

import dev.kgadget.api.cluster.DaemonDirectory;
import dev.kgadget.api.catalog.TraceDuration;
import dev.kgadget.api.crd.MergedResult;
import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.crd.TargetContainer;
import dev.kgadget.api.crd.TargetNode;
import dev.kgadget.api.crd.TargetPod;
import dev.kgadget.api.crd.TargetsStatus;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.api.crd.TraceJobSpec;
import dev.kgadget.api.crd.TraceJobStatus;
import dev.kgadget.api.grpc.ContainerTarget;
import dev.kgadget.api.grpc.PodTarget;
import dev.kgadget.api.grpc.StartTraceRequest;
import dev.kgadget.api.grpc.StartTraceResponse;
import dev.kgadget.api.grpc.StopTraceRequest;
import dev.kgadget.api.grpc.UpdateTargetsRequest;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.grpc.StatusRuntimeException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Drives a TraceJob from Pending to a final phase. All progress lives in the status, so a
 * restarted operator picks up running jobs where the old one left them (re-adoption needs no
 * extra state). Daemons write their node entries themselves; this reconciler dispatches,
 * watches deadlines, follows container restarts and merges.
 */
@ControllerConfiguration(name = "tracejob")
public final class TraceJobReconciler implements Reconciler<TraceJob>, Cleaner<TraceJob> {
    private static final Logger LOG = LoggerFactory.getLogger(TraceJobReconciler.class);
    static final Duration POLL = Duration.ofSeconds(1);

    private final ClusterView cluster;
    private final DaemonChannels daemons;
    private final StatusWriter statusWriter;
    private final ResultsConfigMap results;
    private final String daemonNamespace;
    private final Duration grace;
    private final JobPolicy policy;
    /* Jobs this instance dispatched, until its own status write shows in the cache. */
    private final Map<String, TraceJobStatus> dispatched = new ConcurrentHashMap<>();

    public TraceJobReconciler(ClusterView cluster, DaemonChannels daemons, StatusWriter statusWriter,
                              ResultsConfigMap results, String daemonNamespace, Duration grace, JobPolicy policy) {
        this.cluster = cluster;
        this.daemons = daemons;
        this.statusWriter = statusWriter;
        this.results = results;
        this.daemonNamespace = daemonNamespace;
        this.grace = grace;
        this.policy = policy;
    }

    @Override
    public UpdateControl<TraceJob> reconcile(TraceJob job, Context<TraceJob> context) {
        TraceJobStatus status = job.getStatus();
        if (status != null && status.getPhase() != null && status.getPhase().isFinal()) {
            dispatched.remove(job.getMetadata().getUid());
            return UpdateControl.noUpdate();
        }
        if (status == null || status.getPhase() == null || status.getPhase() == TraceJobPhase.Pending) {
            TraceJobStatus mine = dispatched.get(job.getMetadata().getUid());
            if (mine == null) {
                start(job);
                return UpdateControl.<TraceJob>noUpdate().rescheduleAfter(POLL.toMillis());
            }
            status = merge(mine, status);
        }
        return follow(job, status);
    }

    /** Pending → Running (or Failed): validate, resolve, dispatch. */
    private void start(TraceJob job) {
        TraceJobStatus status = new TraceJobStatus();
        status.setObservedGeneration(job.getMetadata().getGeneration());
        Optional<SpecValidation.Invalid> invalid = SpecValidation.check(job.getSpec())
                .or(() -> policy.check(job.getSpec()));
        if (invalid.isPresent()) {
            fail(job, status, invalid.get().reason(), invalid.get().message());
            return;
        }
        TraceJobSpec spec = job.getSpec();
        String ns = job.getMetadata().getNamespace();
        Targets targets = Targets.resolve(cluster.podsIn(ns), spec.getSelector().getPodSelector(),
                spec.getSelector().getNodeName(), spec.getSelector().getNodeSelector(),
                spec.getSelector().getContainerName(), cluster.nodeLabels());
        if (targets.isEmpty()) {
            fail(job, status, "NoTargets", "no running container of a pod in namespace " + ns
                    + " matches spec.selector; nothing to trace");
            return;
        }
        Duration duration = TraceDuration.parse(spec.getDuration());
        Instant now = Instant.now();
        results.ensure(job);
        status.setPhase(TraceJobPhase.Running);
        status.setStartTime(now.toString());
        status.setTargets(targetsStatus(targets));
        status.setResultsConfigMap(ResultsConfigMap.nameOf(job));
        status.setProgress(TraceJobStatus.progress(0, targets.podsByNode().size()));
        status.setConditions(List.of(condition(job, "Dispatched", "True", "Started",
                "tracing " + targets.containerCount() + " containers of " + targets.podCount() + " pods on "
                        + targets.podsByNode().size() + " nodes for " + spec.getDuration())));
        statusWriter.applyJobStatus(job, status);
        dispatched.put(job.getMetadata().getUid(), status);
        Instant deadline = now.plus(duration);
        for (String node : targets.podsByNode().keySet()) {
            dispatch(job, node, targets, duration, deadline);
        }
        LOG.info("dispatched {}/{} ({}) to {}", ns, job.getMetadata().getName(), spec.getGadget(), targets.podsByNode().keySet());
    }

    private void dispatch(TraceJob job, String node, Targets targets, Duration duration, Instant deadline) {
        Optional<String> address = DaemonDirectory.addressOn(node, cluster.daemonPods(daemonNamespace));
        if (address.isEmpty()) {
            nodeFailed(job, node, "NoDaemon", "no ready kgadget daemon pod runs on node " + node
                    + " (namespace " + daemonNamespace + ")");
            return;
        }
        StartTraceRequest request = StartTraceRequest.newBuilder()
                .setJobUid(job.getMetadata().getUid()).setJobNamespace(job.getMetadata().getNamespace())
                .setJobName(job.getMetadata().getName()).setGadget(job.getSpec().getGadget())
                .putAllParams(job.getSpec().parametersOrEmpty()).addAllTargets(podTargets(targets, node))
                .setDurationMs(duration.toMillis()).setDeadlineUnixMs(deadline.toEpochMilli())
                .setMaxEvents(job.getSpec().maxEventsOrDefault()).setResultsConfigmap(ResultsConfigMap.nameOf(job))
                .build();
        try {
            long sent = System.nanoTime();
            StartTraceResponse r = daemons.daemon(address.get()).startTrace(request);
            if (!r.getAccepted()) {
                nodeFailed(job, node, r.getReason().isEmpty() ? "Rejected" : r.getReason(), r.getMessage());
            } else if (r.getAttachMicros() > 0) {
                LOG.info("{}/{} attached on {} in {} ms ({} ms in the daemon)", job.getMetadata().getNamespace(),
                        job.getMetadata().getName(), node, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent),
                        r.getAttachMicros() / 1000);
            }
        } catch (StatusRuntimeException e) {
            nodeFailed(job, node, "DaemonUnreachable", "the daemon on " + node + " at " + address.get()
                    + " did not answer StartTrace: " + e.getStatus());
        }
    }

    /** Running: deadlines, restarted containers, completion. */
    private UpdateControl<TraceJob> follow(TraceJob job, TraceJobStatus status) {
        Map<String, NodeStatusEntry> entries = new LinkedHashMap<>();
        if (status.getNodes() != null) {
            status.getNodes().forEach(e -> entries.put(e.getNode(), e));
        }
        List<String> nodes = status.getTargets() == null || status.getTargets().getNodes() == null ? List.of()
                : status.getTargets().getNodes().stream().map(TargetNode::getNode).toList();
        Instant start = Instant.parse(status.getStartTime());
        Instant timeout = start.plus(job.getSpec().traceDuration()).plus(grace);
        boolean late = Instant.now().isAfter(timeout);
        int done = 0;
        for (String node : nodes) {
            NodeStatusEntry e = entries.get(node);
            if (e != null && e.getPhase() != null && e.getPhase().isFinal()) {
                done++;
            } else if (late) {
                NodeStatusEntry timedOut = nodeEntry(node, NodeTracePhase.TimedOut, "TimedOut",
                        "no result from node " + node + " by " + timeout + " (duration + " + grace.toSeconds() + "s grace)");
                statusWriter.applyNodeEntry(job, timedOut);
                entries.put(node, timedOut);
                done++;
            }
        }
        if (done < nodes.size()) {
            followRestarts(job, status, entries);
            String progress = TraceJobStatus.progress(done, nodes.size());
            if (!progress.equals(status.getProgress())) {
                TraceJobStatus update = jobFields(status);
                update.setProgress(progress);
                statusWriter.applyJobStatus(job, update);
            }
            return UpdateControl.<TraceJob>noUpdate().rescheduleAfter(POLL.toMillis());
        }
        complete(job, status, nodes.stream().map(entries::get).toList());
        return UpdateControl.noUpdate();
    }

    private void complete(TraceJob job, TraceJobStatus status, List<NodeStatusEntry> entries) {
        long ok = entries.stream().filter(e -> e.getPhase() == NodeTracePhase.Succeeded).count();
        TraceJobPhase phase = ok == entries.size() ? TraceJobPhase.Succeeded
                : ok > 0 ? TraceJobPhase.PartiallySucceeded : TraceJobPhase.Failed;
        MergedResult merged = MergedResult.merge(entries.stream().filter(e -> e.getPhase() == NodeTracePhase.Succeeded).toList());
        TraceJobStatus update = jobFields(status);
        update.setPhase(phase);
        update.setProgress(TraceJobStatus.progress(entries.size(), entries.size()));
        update.setCompletionTime(Instant.now().toString());
        update.setResult(merged);
        String failures = entries.stream().filter(e -> e.getPhase() != NodeTracePhase.Succeeded)
                .map(e -> e.getNode() + ": " + e.getReason() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"))
                .collect(Collectors.joining("; "));
        List<Condition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
        conditions.removeIf(c -> "Completed".equals(c.getType()));
        conditions.add(condition(job, "Completed", phase == TraceJobPhase.Succeeded ? "True" : "False", phase.name(),
                ok + " of " + entries.size() + " nodes succeeded" + (failures.isEmpty() ? "" : "; " + failures)));
        update.setConditions(conditions);
        results.writeSummary(job, merged);
        statusWriter.applyJobStatus(job, update);
        dispatched.remove(job.getMetadata().getUid());
        LOG.info("{}/{} {}: {} of {} nodes", job.getMetadata().getNamespace(), job.getMetadata().getName(), phase, ok, entries.size());
    }

    /** Containers restart with new ids while a job runs: tell their node's daemon. */
    private void followRestarts(TraceJob job, TraceJobStatus status, Map<String, NodeStatusEntry> entries) {
        TraceJobSpec spec = job.getSpec();
        Targets now;
        try {
            now = Targets.resolve(cluster.podsIn(job.getMetadata().getNamespace()), spec.getSelector().getPodSelector(),
                    spec.getSelector().getNodeName(), spec.getSelector().getNodeSelector(),
                    spec.getSelector().getContainerName(), cluster.nodeLabels());
        } catch (RuntimeException e) {
            return;
        }
        TargetsStatus was = status.getTargets();
        Set<String> nodes = was.getNodes().stream().map(TargetNode::getNode).collect(Collectors.toSet());
        boolean changed = false;
        for (TargetNode old : was.getNodes()) {
            String node = old.getNode();
            NodeStatusEntry e = entries.get(node);
            if (e != null && e.getPhase() != null && e.getPhase().isFinal()) {
                continue;
            }
            TargetNode fresh = targetNode(now, node);
            if (!fresh.equals(old)) {
                DaemonDirectory.addressOn(node, cluster.daemonPods(daemonNamespace)).ifPresent(address -> {
                    try {
                        daemons.daemon(address).updateTargets(UpdateTargetsRequest.newBuilder()
                                .setJobUid(job.getMetadata().getUid()).addAllTargets(podTargets(now, node)).build());
                    } catch (StatusRuntimeException ex) {
                        LOG.warn("UpdateTargets on {} failed: {}", node, ex.getStatus());
                    }
                });
                changed = true;
            }
        }
        if (changed) {
            List<TargetNode> updated = was.getNodes().stream().map(n -> targetNode(now, n.getNode()))
                    .filter(n -> nodes.contains(n.getNode())).toList();
            TraceJobStatus update = jobFields(status);
            update.setTargets(new TargetsStatus(now.podCount(), now.containerCount(), updated));
            statusWriter.applyJobStatus(job, update);
        }
    }

    @Override
    public DeleteControl cleanup(TraceJob job, Context<TraceJob> context) {
        TraceJobStatus status = job.getStatus();
        if (status != null && status.getPhase() == TraceJobPhase.Running && status.getTargets() != null) {
            for (TargetNode n : status.getTargets().getNodes()) {
                DaemonDirectory.addressOn(n.getNode(), cluster.daemonPods(daemonNamespace)).ifPresent(address -> {
                    try {
                        daemons.daemon(address).stopTrace(StopTraceRequest.newBuilder()
                                .setJobUid(job.getMetadata().getUid()).setReason("Deleted").build());
                    } catch (StatusRuntimeException e) {
                        LOG.warn("StopTrace on {} failed: {}", n.getNode(), e.getStatus());
                    }
                });
            }
        }
        // ownerReferences let the garbage collector remove it too; doing it here also covers
        // clusters (and test API servers) where that collector is slow or absent
        results.delete(job);
        dispatched.remove(job.getMetadata().getUid());
        return DeleteControl.defaultDelete();
    }

    private void fail(TraceJob job, TraceJobStatus status, String reason, String message) {
        status.setPhase(TraceJobPhase.Failed);
        status.setCompletionTime(Instant.now().toString());
        status.setConditions(List.of(condition(job, "Completed", "False", reason, message)));
        statusWriter.applyJobStatus(job, status);
        LOG.info("{}/{} failed: {}: {}", job.getMetadata().getNamespace(), job.getMetadata().getName(), reason, message);
    }

    private void nodeFailed(TraceJob job, String node, String reason, String message) {
        statusWriter.applyNodeEntry(job, nodeEntry(node, NodeTracePhase.Failed, reason, message));
    }

    private static NodeStatusEntry nodeEntry(String node, NodeTracePhase phase, String reason, String message) {
        NodeStatusEntry e = new NodeStatusEntry(node);
        e.setPhase(phase);
        e.setReason(reason);
        e.setMessage(message);
        e.setFinishedAt(Instant.now().toString());
        return e;
    }

    /** The operator-owned fields of a status (never the node entries). */
    private static TraceJobStatus jobFields(TraceJobStatus s) {
        TraceJobStatus c = new TraceJobStatus();
        c.setPhase(s.getPhase());
        c.setConditions(s.getConditions());
        c.setObservedGeneration(s.getObservedGeneration());
        c.setStartTime(s.getStartTime());
        c.setCompletionTime(s.getCompletionTime());
        c.setProgress(s.getProgress());
        c.setTargets(s.getTargets());
        c.setResult(s.getResult());
        c.setResultsConfigMap(s.getResultsConfigMap());
        return c;
    }

    /** This instance's dispatch record plus whatever node entries the cache already has. */
    private static TraceJobStatus merge(TraceJobStatus mine, TraceJobStatus cached) {
        if (cached != null && cached.getPhase() != null) {
            return cached;
        }
        TraceJobStatus s = jobFields(mine);
        s.setNodes(cached == null ? null : cached.getNodes());
        return s;
    }

    private static Condition condition(TraceJob job, String type, String status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(job.getMetadata().getGeneration())
                .withLastTransitionTime(Instant.now().toString()).build();
    }

    private static TargetsStatus targetsStatus(Targets t) {
        List<TargetNode> nodes = t.podsByNode().keySet().stream().map(n -> targetNode(t, n)).toList();
        return new TargetsStatus(t.podCount(), t.containerCount(), nodes);
    }

    private static TargetNode targetNode(Targets t, String node) {
        List<TargetPod> pods = new ArrayList<>();
        for (Pod p : t.podsByNode().getOrDefault(node, List.of())) {
            List<TargetContainer> cs = t.containersByPod().getOrDefault(p.getMetadata().getUid(), List.of()).stream()
                    .map(c -> new TargetContainer(c.name(), c.containerId())).toList();
            pods.add(new TargetPod(p.getMetadata().getName(), p.getMetadata().getUid(), cs));
        }
        return new TargetNode(node, pods);
    }

    private static List<PodTarget> podTargets(Targets t, String node) {
        List<PodTarget> out = new ArrayList<>();
        for (Pod p : t.podsByNode().getOrDefault(node, List.of())) {
            PodTarget.Builder b = PodTarget.newBuilder().setPodUid(p.getMetadata().getUid())
                    .setPodName(p.getMetadata().getName()).setNamespace(p.getMetadata().getNamespace());
            for (Targets.Container c : t.containersByPod().getOrDefault(p.getMetadata().getUid(), List.of())) {
                b.addContainers(ContainerTarget.newBuilder().setName(c.name()).setContainerId(c.containerId()));
            }
            out.add(b.build());
        }
        return out;
    }
}
