package dev.kgadget.daemon.server;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.api.catalog.TraceDuration;
import dev.kgadget.api.crd.TraceJobOutput;
import dev.kgadget.api.grpc.ContainerResolution;
import dev.kgadget.api.grpc.ContainerTarget;
import dev.kgadget.api.grpc.FollowEventsRequest;
import dev.kgadget.api.grpc.ListTracesRequest;
import dev.kgadget.api.grpc.ListTracesResponse;
import dev.kgadget.api.grpc.NodeDaemonGrpc;
import dev.kgadget.api.grpc.NodeStatus;
import dev.kgadget.api.grpc.NodeStatusRequest;
import dev.kgadget.api.grpc.StartTraceRequest;
import dev.kgadget.api.grpc.StartTraceResponse;
import dev.kgadget.api.grpc.StopTraceRequest;
import dev.kgadget.api.grpc.StopTraceResponse;
import dev.kgadget.api.grpc.EventBatch;
import dev.kgadget.api.grpc.TraceInfo;
import dev.kgadget.api.grpc.TraceState;
import dev.kgadget.api.grpc.UpdateTargetsRequest;
import dev.kgadget.api.grpc.UpdateTargetsResponse;
import dev.kgadget.daemon.DaemonThreads;
import dev.kgadget.daemon.cgroup.ContainerCgroups;
import dev.kgadget.daemon.cgroup.ContainerCgroups.Resolution;
import dev.kgadget.daemon.jobs.NodeJob;
import dev.kgadget.daemon.jobs.NodeJobs;
import dev.kgadget.daemon.jobs.PodTarget;
import dev.kgadget.daemon.runtime.Preflight;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The NodeDaemon gRPC service: requests of the operator mapped onto {@link NodeJobs}.
 *
 * <p>The daemon never trusts the operator: a StartTrace is checked here before anything is
 * loaded and refused ({@code accepted=false}) with a CamelCase reason:
 * <ul>
 *   <li>{@code InvalidRequest}: job_uid, job_namespace or job_name missing;</li>
 *   <li>{@code UnknownGadget}: not in the catalog;</li>
 *   <li>{@code InvalidParameters}: a parameter the gadget does not have or a bad value (the message
 *   names the parameter), or max_events outside 0..{@value TraceJobOutput#MAX_MAX_EVENTS};</li>
 *   <li>{@code InvalidDuration}: duration_ms &le; 0 or over {@link TraceDuration#MAX};</li>
 *   <li>{@code DeadlinePassed}: deadline_unix_ms (when set, i.e. non-zero) is not in the future;</li>
 *   <li>from NodeJobs: {@code ContainersNotFound} (no target resolved: each container's error is in
 *   the resolutions), {@code GadgetFailed} (preflight or the kernel refused the gadget).</li>
 * </ul>
 * The trace runs for min(duration, deadline - now). A container that does not resolve never
 * fails the call while another one does: its resolution carries the error. StartTrace is
 * idempotent by job_uid (reason {@code AlreadyRunning}).
 */
public final class NodeDaemonService extends NodeDaemonGrpc.NodeDaemonImplBase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeDaemonService.class);

    private final String nodeName;
    private final NodeJobs jobs;
    private final ContainerCgroups cgroups;
    private final int followerCapacity;
    /** FollowEvents streams open. */
    private final AtomicInteger followers = new AtomicInteger();
    private final ExecutorService senders;
    private final ScheduledExecutorService timer;

    public NodeDaemonService(String nodeName, NodeJobs jobs, ContainerCgroups cgroups) {
        this(nodeName, jobs, cgroups, EventFollower.DEFAULT_CAPACITY);
    }

    /** @param followerCapacity bytes of encoded events queued per FollowEvents stream before events are dropped */
    public NodeDaemonService(String nodeName, NodeJobs jobs, ContainerCgroups cgroups, int followerCapacity) {
        if (nodeName == null || nodeName.isBlank()) {
            throw new IllegalArgumentException("the node name is required");
        }
        if (followerCapacity <= 0) {
            throw new IllegalArgumentException("followerCapacity must be positive");
        }
        this.nodeName = nodeName;
        this.jobs = jobs;
        this.cgroups = cgroups;
        this.followerCapacity = followerCapacity;
        this.senders = Executors.newCachedThreadPool(DaemonThreads.named("follow-sender"));
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("follow-timer"));
    }

    public String nodeName() {
        return nodeName;
    }

    public NodeJobs jobs() {
        return jobs;
    }

    /** FollowEvents streams open now. */
    int followers() {
        return followers.get();
    }

    // ---- StartTrace ----

    @Override
    public void startTrace(StartTraceRequest request, StreamObserver<StartTraceResponse> response) {
        call(response, () -> start(request));
    }

    StartTraceResponse start(StartTraceRequest request) {
        long taken = System.nanoTime();
        if (request.getJobUid().isBlank() || request.getJobNamespace().isBlank() || request.getJobName().isBlank()) {
            return refused("InvalidRequest", "job_uid, job_namespace and job_name are required");
        }
        GadgetDescriptor gadget;
        try {
            gadget = GadgetCatalog.require(request.getGadget());
        } catch (InvalidParameterException e) {
            return refused("UnknownGadget", e.getMessage());
        }
        GadgetParams params;
        try {
            params = GadgetParams.of(gadget, request.getParamsMap());
        } catch (InvalidParameterException e) {
            return refused("InvalidParameters", e.getMessage());
        }
        if (request.getMaxEvents() < 0 || request.getMaxEvents() > TraceJobOutput.MAX_MAX_EVENTS) {
            return refused("InvalidParameters", "max_events " + request.getMaxEvents() + " is out of range [0, "
                    + TraceJobOutput.MAX_MAX_EVENTS + "]");
        }
        long durationMs = request.getDurationMs();
        if (durationMs <= 0 || durationMs > TraceDuration.MAX.toMillis()) {
            return refused("InvalidDuration", "duration_ms " + durationMs + " is out of range: it must be positive"
                    + " and at most " + TraceDuration.format(TraceDuration.MAX));
        }
        Instant now = Instant.now();
        Duration duration = Duration.ofMillis(durationMs);
        Instant deadline;
        if (request.getDeadlineUnixMs() != 0) {
            deadline = Instant.ofEpochMilli(request.getDeadlineUnixMs());
            if (!deadline.isAfter(now)) {
                return refused("DeadlinePassed", "the job's deadline " + deadline + " has passed (now " + now + ")");
            }
            Duration left = Duration.between(now, deadline);
            if (left.compareTo(duration) < 0) {
                duration = left;
            }
        } else {
            deadline = now.plus(duration);
        }
        List<PodTarget> targets = targets(request.getTargetsList());
        NodeJob job = new NodeJob(request.getJobUid(), request.getJobNamespace(), request.getJobName(), gadget, params,
                duration, deadline, request.getMaxEvents(), request.getResultsConfigmap(), targets);
        NodeJobs.Started started = jobs.start(job);
        StartTraceResponse.Builder b = StartTraceResponse.newBuilder().setAccepted(started.accepted())
                .setReason(nz(started.reason())).setMessage(nz(started.message()))
                .addAllResolutions(resolutions(started.resolutions(), targets));
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - taken);
        if (started.attachedNow()) {
            b.setAttachMicros(micros);
        }
        LOG.info("StartTrace {} {}: {} ({}) in {} ms", job.display(), request.getJobUid(), started.reason(),
                started.message(), micros / 1000);
        return b.build();
    }

    private static StartTraceResponse refused(String reason, String message) {
        LOG.info("StartTrace refused: {}: {}", reason, message);
        return StartTraceResponse.newBuilder().setAccepted(false).setReason(reason).setMessage(message).build();
    }

    // ---- UpdateTargets, StopTrace, ListTraces ----

    @Override
    public void updateTargets(UpdateTargetsRequest request, StreamObserver<UpdateTargetsResponse> response) {
        call(response, () -> {
            List<PodTarget> targets = targets(request.getTargetsList());
            List<Resolution> resolved;
            try {
                resolved = jobs.updateTargets(request.getJobUid(), targets);
            } catch (IllegalArgumentException | IllegalStateException e) { // no such job, or it just ended
                return UpdateTargetsResponse.newBuilder().setFound(false).build();
            }
            LOG.info("UpdateTargets {}: {} of {} containers resolved", request.getJobUid(),
                    resolved.stream().filter(Resolution::resolved).count(), resolved.size());
            return UpdateTargetsResponse.newBuilder().setFound(true).addAllResolutions(resolutions(resolved, targets))
                    .build();
        });
    }

    @Override
    public void stopTrace(StopTraceRequest request, StreamObserver<StopTraceResponse> response) {
        call(response, () -> {
            String reason = request.getReason().isBlank() ? "Stopped" : request.getReason();
            boolean found = jobs.stop(request.getJobUid(), reason);
            LOG.info("StopTrace {} ({}): {}", request.getJobUid(), reason, found ? "stopping" : "not running here");
            return StopTraceResponse.newBuilder().setFound(found).build();
        });
    }

    @Override
    public void listTraces(ListTracesRequest request, StreamObserver<ListTracesResponse> response) {
        call(response, () -> {
            ListTracesResponse.Builder b = ListTracesResponse.newBuilder();
            for (NodeJobs.Info info : jobs.list()) {
                NodeJob job = info.job();
                b.addTraces(TraceInfo.newBuilder().setJobUid(job.jobUid()).setJobNamespace(job.namespace())
                        .setJobName(job.name()).setGadget(job.gadget().name()).setState(TraceState.TRACE_STATE_RUNNING)
                        .setStartedUnixMs(info.startedAt().toEpochMilli())
                        .setDeadlineUnixMs(job.deadline() == null ? 0 : job.deadline().toEpochMilli())
                        .setEvents(info.events()).setLostEvents(info.lostEvents()));
            }
            return b.build();
        });
    }

    // ---- GetNodeStatus ----

    @Override
    public void getNodeStatus(NodeStatusRequest request, StreamObserver<NodeStatus> response) {
        call(response, this::nodeStatus);
    }

    NodeStatus nodeStatus() {
        Path btf = Preflight.btfPath();
        Path root = cgroups.root();
        return NodeStatus.newBuilder()
                .setNodeName(nodeName)
                .setKernelRelease(nz(System.getProperty("os.version")))
                .setBtfPath(btf.toString())
                .setBtfAvailable(Files.isReadable(btf))
                .setCgroup2Root(root.toString())
                .setCgroup2Found(Files.isRegularFile(root.resolve("cgroup.procs")))
                .setLibbpfVersion(NodeCapabilities.libbpfVersion())
                .addAllHooks(NodeCapabilities.hooks())
                .setRunningTraces(jobs.running())
                .build();
    }

    // ---- FollowEvents ----

    @Override
    public void followEvents(FollowEventsRequest request, StreamObserver<EventBatch> response) {
        String jobUid = request.getJobUid();
        ServerCallStreamObserver<EventBatch> out = (ServerCallStreamObserver<EventBatch>) response;
        if (!isRunning(jobUid)) {
            out.onError(Status.NOT_FOUND.withDescription("no trace of job " + jobUid + " runs on node " + nodeName)
                    .asRuntimeException());
            return;
        }
        EventFollower[] self = new EventFollower[1];
        EventFollower follower = new EventFollower(jobUid, nodeName, out, senders, timer,
                id -> jobs.owners(jobUid).owner(id),
                () -> {
                    followers.decrementAndGet();
                    jobs.unfollow(jobUid, self[0]);
                }, followerCapacity);
        self[0] = follower;
        followers.incrementAndGet();
        // The job may end between any check and the registration, after NodeJobs closed its
        // followers: then nobody else closes this one, and the stream completes right away.
        if (!jobs.follow(jobUid, follower) || !isRunning(jobUid)) {
            follower.close();
        }
        LOG.debug("following job {}", jobUid);
    }

    private boolean isRunning(String jobUid) {
        return jobs.list().stream().anyMatch(i -> i.job().jobUid().equals(jobUid));
    }

    // ---- mapping ----

    private static List<PodTarget> targets(List<dev.kgadget.api.grpc.PodTarget> protos) {
        List<PodTarget> out = new ArrayList<>();
        for (dev.kgadget.api.grpc.PodTarget p : protos) {
            List<PodTarget.Container> containers = new ArrayList<>();
            for (ContainerTarget c : p.getContainersList()) {
                containers.add(new PodTarget.Container(c.getName(), c.getContainerId()));
            }
            out.add(new PodTarget(p.getPodUid(), p.getPodName(), p.getNamespace(), containers));
        }
        return out;
    }

    private List<ContainerResolution> resolutions(List<Resolution> resolved, List<PodTarget> targets) {
        Map<String, String> names = new HashMap<>();
        for (PodTarget pod : targets) {
            for (PodTarget.Container c : pod.containers()) {
                names.putIfAbsent(key(pod.podUid(), c.containerId()), c.name());
            }
        }
        List<ContainerResolution> out = new ArrayList<>();
        for (Resolution r : resolved) {
            ContainerResolution.Builder b = ContainerResolution.newBuilder().setPodUid(nz(r.podUid()))
                    .setContainerId(nz(r.containerId()))
                    .setContainerName(nz(names.get(key(r.podUid(), r.containerId()))))
                    .setCgroupId(r.cgroupId())
                    .setError(nz(r.error()));
            if (r.path() != null) {
                Path root = cgroups.root();
                b.setCgroupPath(r.path().startsWith(root) ? root.relativize(r.path()).toString() : r.path().toString());
            }
            out.add(b.build());
        }
        return out;
    }

    private static String key(String podUid, String containerId) {
        return podUid + "\n" + containerId;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Unary calls: the answer, or INTERNAL (logged) for what should not happen. */
    private static <T> void call(StreamObserver<T> response, Supplier<T> handler) {
        T answer;
        try {
            answer = handler.get();
        } catch (RuntimeException e) {
            LOG.error("request failed", e);
            response.onError(Status.INTERNAL.withDescription(e.toString()).withCause(e).asRuntimeException());
            return;
        }
        response.onNext(answer);
        response.onCompleted();
    }

    /** Stops the follower threads (after the server and the jobs have ended). */
    @Override
    public void close() {
        timer.shutdownNow();
        senders.shutdown(); // each sender ends with its stream: give the clients a moment to take the rest
        try {
            if (!senders.awaitTermination(2, TimeUnit.SECONDS)) {
                senders.shutdownNow(); // interrupted, each sends what its client takes at once and ends the stream
                senders.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
