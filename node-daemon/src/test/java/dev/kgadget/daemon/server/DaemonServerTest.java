package dev.kgadget.daemon.server;

import dev.kgadget.api.cluster.FollowedEvent;
import dev.kgadget.api.grpc.ContainerResolution;
import dev.kgadget.api.grpc.ContainerTarget;
import dev.kgadget.api.grpc.FollowEventsRequest;
import dev.kgadget.api.grpc.HookStatus;
import dev.kgadget.api.grpc.ListTracesRequest;
import dev.kgadget.api.grpc.NodeDaemonGrpc;
import dev.kgadget.api.grpc.NodeStatus;
import dev.kgadget.api.grpc.NodeStatusRequest;
import dev.kgadget.api.grpc.PodTarget;
import dev.kgadget.api.grpc.StartTraceRequest;
import dev.kgadget.api.grpc.StartTraceResponse;
import dev.kgadget.api.grpc.StopTraceRequest;
import dev.kgadget.api.grpc.EventBatch;
import dev.kgadget.api.grpc.TraceInfo;
import dev.kgadget.api.grpc.TraceState;
import dev.kgadget.api.grpc.UpdateTargetsRequest;
import dev.kgadget.api.grpc.UpdateTargetsResponse;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.daemon.cgroup.CgroupV2;
import dev.kgadget.daemon.cgroup.ContainerCgroups;
import dev.kgadget.daemon.jobs.NodeJob;
import dev.kgadget.daemon.jobs.NodeJobs;
import dev.kgadget.daemon.runtime.GadgetRuntime;
import dev.kgadget.daemon.runtime.Preflight;
import dev.kgadget.daemon.testing.PodCgroup;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.TestTls;
import dev.kgadget.daemon.testing.Workloads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The daemon's gRPC service end to end on the real kernel, without Kubernetes: a real server on
 * an ephemeral port, a real channel, a kubelet-style (systemd driver, containerd) cgroup tree
 * standing in for a pod's container, real gadgets, and a publisher that records what it is told.
 */
class DaemonServerTest {
    private static final String NODE = "node-under-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeContainer container;
    private static RecordingPublisher publisher;
    private static DaemonServer server;
    private static ManagedChannel channel;
    private static NodeDaemonGrpc.NodeDaemonBlockingStub daemon;
    private static NodeDaemonGrpc.NodeDaemonStub async;

    @BeforeAll
    static void startDaemon() throws IOException {
        container = FakeContainer.create();
        publisher = new RecordingPublisher();
        server = newServer(publisher);
        channel = TestTls.channel("localhost", server.port());
        daemon = NodeDaemonGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.MINUTES);
        async = NodeDaemonGrpc.newStub(channel);
    }

    private static DaemonServer newServer(NodeJobs.Publisher p) {
        ContainerCgroups cgroups = new ContainerCgroups(CgroupV2.host().root());
        return DaemonServer.start(0, new NodeDaemonService(NODE, new NodeJobs(new GadgetRuntime(), cgroups, p),
                cgroups), TestTls.server());
    }

    @AfterAll
    static void stopDaemon() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
        if (container != null) {
            container.close();
        }
    }

    @Test
    void tracesTheContainerFollowsItsEventsAndPublishesTheResult() throws Exception {
        String uid = UUID.randomUUID().toString();
        long sent = System.nanoTime();
        StartTraceResponse started = daemon.startTrace(execsnoop(uid, 60_000, container.target()).build());
        long roundTripMicros = (System.nanoTime() - sent) / 1000;

        assertThat(started.getAccepted()).as(started.getMessage()).isTrue();
        assertThat(started.getReason()).isEqualTo("Started");
        // the daemon's own share: the gadget was loaded and attached in it (never 0), within the round trip
        assertThat(started.getAttachMicros()).isBetween(1L, roundTripMicros);
        assertThat(started.getResolutionsList()).singleElement().satisfies(r -> {
            assertThat(r.getError()).isEmpty();
            assertThat(r.getPodUid()).isEqualTo(container.podUid);
            assertThat(r.getContainerName()).isEqualTo("app");
            assertThat(r.getContainerId()).isEqualTo("containerd://" + container.id);
            assertThat(r.getCgroupId()).isEqualTo(CgroupV2.idOf(container.leaf));
            assertThat(Path.of("/").resolve(r.getCgroupPath()))
                    .isEqualTo(Path.of("/").resolve(CgroupV2.host().root().relativize(container.leaf)));
        });
        assertThat(publisher.calls(uid)).containsExactly("running");

        assertThat(daemon.listTraces(ListTracesRequest.getDefaultInstance()).getTracesList())
                .filteredOn(t -> t.getJobUid().equals(uid)).singleElement().satisfies(t -> {
                    assertThat(t.getState()).isEqualTo(TraceState.TRACE_STATE_RUNNING);
                    assertThat(t.getGadget()).isEqualTo("execsnoop");
                    assertThat(t.getJobNamespace()).isEqualTo("team-a");
                    assertThat(t.getJobName()).isEqualTo("job-" + uid.substring(0, 8));
                    assertThat(t.getStartedUnixMs()).isPositive();
                });

        Follow follow = follow(uid);
        await().atMost(Duration.ofSeconds(10)).until(() -> server.service().followers() == 1);

        container.run(Workloads.kgwork(), "exec", "5", "/bin/true");
        await().atMost(Duration.ofSeconds(10)).until(() -> trueExecs(follow.jsonEvents()).size() == 5);

        assertThat(daemon.stopTrace(StopTraceRequest.newBuilder().setJobUid(uid).setReason("Deleted").build())
                .getFound()).isTrue();

        GadgetResult result = publisher.finished(uid).get(30, TimeUnit.SECONDS);
        assertThat(result.stopReason()).isEqualTo("cancelled");
        assertThat(result.durationMs()).isLessThan(60_000);
        List<EventRecord> trueExecs = result.events().stream().filter(e -> "/bin/true".equals(e.get("filename")))
                .toList();
        assertThat(trueExecs).hasSize(5).allSatisfy(e -> {
            assertThat(e.get("args")).isEqualTo(List.of("/bin/true"));
            assertThat(e.get("ret")).isEqualTo(0);
            assertThat(e.get("cgroupId")).isEqualTo(CgroupV2.idOf(container.leaf));
        });
        assertThat(result.events()).allSatisfy(e -> {
            assertThat(e.get("cgroupId")).isEqualTo(CgroupV2.idOf(container.leaf));
            // the published events say whose they are
            assertThat(e.fields()).containsEntry("namespace", "team-a").containsEntry("pod", "web-0")
                    .containsEntry("container", "app");
        });
        assertThat(publisher.calls(uid)).containsExactly("running", "finished");

        // the stream completes when the job ends, having delivered every event in order, as JSON
        assertThat(follow.done.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(follow.events).extracting(FollowedEvent::seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, result.eventCount()).boxed().toList());
        List<JsonNode> followed = trueExecs(follow.jsonEvents());
        assertThat(followed).hasSize(5).allSatisfy(j -> {
            assertThat(j.get("args").isArray()).isTrue();
            assertThat(j.get("args").get(0).asText()).isEqualTo("/bin/true");
            assertThat(j.get("comm").asText()).isEqualTo("true");
            assertThat(j.get("cgroupId").asLong()).isEqualTo(CgroupV2.idOf(container.leaf));
            assertThat(Instant.parse(j.get("time").asText())).isBetween(Instant.now().minusSeconds(120), Instant.now());
        });
        assertThat(follow.events).allSatisfy(e -> {
            assertThat(e.jobUid()).isEqualTo(uid);
            assertThat(e.node()).isEqualTo(NODE);
            assertThat(e.namespace()).isEqualTo("team-a");
            assertThat(e.pod()).isEqualTo("web-0");
            assertThat(e.container()).isEqualTo("app");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> server.service().followers() == 0);
        assertThat(daemon.listTraces(ListTracesRequest.getDefaultInstance()).getTracesList())
                .noneMatch(t -> t.getJobUid().equals(uid));
    }

    @Test
    void aLateFollowerGetsTheKeptEventsFirstThenLiveOnesAndAGapForTheRest() throws Exception {
        String uid = UUID.randomUUID().toString();
        // keeps 2 events: a follower joining after 1 + 4 execs gets 2 replayed, a gap of 3, then live ones
        assertThat(daemon.startTrace(execsnoop(uid, 60_000, container.target()).setMaxEvents(2).build()).getAccepted())
                .isTrue();
        container.run(Workloads.kgwork(), "exec", "4", "/bin/true");
        await().atMost(Duration.ofSeconds(10)).until(() -> eventsSoFar(uid) == 5);

        Follow follow = follow(uid);
        await().atMost(Duration.ofSeconds(10)).until(() -> follow.events.size() == 2);
        container.run(Workloads.kgwork(), "exec", "3", "/bin/true");
        await().atMost(Duration.ofSeconds(10)).until(() -> trueExecs(follow.jsonEvents()).size() == 1 + 3);
        daemon.stopTrace(StopTraceRequest.newBuilder().setJobUid(uid).setReason("Deleted").build());
        GadgetResult result = publisher.finished(uid).get(30, TimeUnit.SECONDS);
        assertThat(follow.done.get(10, TimeUnit.SECONDS)).isNull();

        assertThat(result.eventCount()).isEqualTo(9);
        assertThat(follow.events).extracting(FollowedEvent::seq).containsExactly(1L, 2L, 6L, 7L, 8L, 9L);
        assertThat(follow.jsonEvents().get(0).get("filename").asText()).endsWith("kgwork");
    }

    /**
     * A followed open storm on the real kernel: the drain thread encodes each event into the
     * follower's byte ring and allocates nothing for it (a record per event was ~200 bytes each).
     */
    @Test
    void aFollowedOpenStormCostsTheDrainThreadNoAllocationPerEvent() throws Exception {
        String uid = uid();
        Path file = Files.createTempFile("kgadget-follow-", ".txt");
        try {
            assertThat(daemon.startTrace(execsnoop(uid, 120_000, container.target()).setGadget("opensnoop")
                    .setMaxEvents(1).build()).getAccepted()).isTrue();
            Follow follow = follow(uid);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.service().followers() == 1);
            container.run(Workloads.kgwork(), "open", "200", file.toString()); // the first events: kept, texts made
            await().atMost(Duration.ofSeconds(10)).until(() -> follow.lastSeq() == eventsSoFar(uid) && follow.lastSeq() >= 200);
            long[] drainers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("kgadget-events")).mapToLong(Thread::getId).toArray();
            long before = allocated(drainers);
            long seqBefore = follow.lastSeq();

            int n = 30_000;
            container.run(Workloads.kgwork(), "open", Integer.toString(n), file.toString());
            // until every event is counted and the stream has been still for a poll (the storm
            // outruns the client: the follower drops what does not fit, so the last seq sent may be short of the count)
            long[] last = {-1, -1};
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                long counted = eventsSoFar(uid);
                long sent = follow.lastSeq();
                boolean still = counted == last[0] && sent == last[1];
                last[0] = counted;
                last[1] = sent;
                return still && counted >= seqBefore + n;
            });
            long allocated = allocated(drainers) - before;
            long delivered = follow.events.stream().filter(e -> e.seq() > seqBefore).count();
            long storm = eventsSoFar(uid) - seqBefore;

            assertThat(storm).isBetween((long) n, n + 50L);
            assertThat(delivered).as("events sent of %d (the rest dropped: the client was slower)", storm)
                    .isPositive().isLessThanOrEqualTo(storm);
            assertThat(allocated).as("bytes the drain thread allocated over %d followed events", storm)
                    .isBetween(0L, 16L * 1024);
        } finally {
            daemon.stopTrace(StopTraceRequest.newBuilder().setJobUid(uid).setReason("Deleted").build());
            publisher.finished(uid).get(30, TimeUnit.SECONDS);
            Files.deleteIfExists(file);
        }
    }

    private static long allocated(long[] threads) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return Arrays.stream(mx.getThreadAllocatedBytes(threads)).filter(b -> b > 0).sum();
    }

    private static long eventsSoFar(String uid) {
        return daemon.listTraces(ListTracesRequest.getDefaultInstance()).getTracesList().stream()
                .filter(t -> t.getJobUid().equals(uid)).mapToLong(t -> t.getEvents()).sum();
    }

    @Test
    void progressIsRepublishedWhileTheCountsChangeAndNeverAfterTheResult() throws Exception {
        String uid = UUID.randomUUID().toString();
        assertThat(daemon.startTrace(execsnoop(uid, 60_000, container.target()).build()).getAccepted()).isTrue();

        // progress goes out every 2 s while the count changes (kgwork's own exec counts too)
        container.run(Workloads.kgwork(), "exec", "3", "/bin/true");
        // counted as the ring is drained (every 1-8 ms), not as the workload ends: all of them
        // once the first three are in and a few more drain passes went by
        await().atMost(Duration.ofSeconds(5)).until(() -> eventsSoFar(uid) >= 3);
        Thread.sleep(100);
        long first = eventsSoFar(uid);
        assertThat(first).isBetween(3L, 4L);
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.timeline(uid).contains("progress:" + first));
        container.run(Workloads.kgwork(), "exec", "2", "/bin/true");
        await().atMost(Duration.ofSeconds(5)).until(() -> eventsSoFar(uid) >= first + 2);
        Thread.sleep(100);
        long second = eventsSoFar(uid);
        assertThat(second - first).isBetween(2L, 3L);
        await().atMost(Duration.ofSeconds(10)).until(() -> publisher.timeline(uid).contains("progress:" + second));
        Thread.sleep(4500); // two more rounds with nothing new: nothing published
        List<String> running = publisher.timeline(uid);
        assertThat(running.get(0)).isEqualTo("running");
        assertThat(running.get(running.size() - 1)).isEqualTo("progress:" + second);
        assertThat(running.subList(1, running.size())).allMatch(c -> c.startsWith("progress:"))
                .extracting(c -> Long.parseLong(c.substring("progress:".length()))).isSorted().doesNotHaveDuplicates();

        daemon.stopTrace(StopTraceRequest.newBuilder().setJobUid(uid).setReason("Deleted").build());
        assertThat(publisher.finished(uid).get(30, TimeUnit.SECONDS).eventCount()).isEqualTo(second);
        Thread.sleep(4500);
        List<String> all = publisher.timeline(uid);
        assertThat(all.subList(0, running.size())).isEqualTo(running);
        assertThat(all.subList(running.size(), all.size())).containsExactly("finished");
    }

    @Test
    void theDeadlineCutsTheDurationShort() throws Exception {
        String uid = UUID.randomUUID().toString();
        long deadline = System.currentTimeMillis() + 1500;
        StartTraceResponse started = daemon.startTrace(execsnoop(uid, 600_000, container.target())
                .setDeadlineUnixMs(deadline).build());
        assertThat(started.getAccepted()).as(started.getMessage()).isTrue();
        assertThat(daemon.listTraces(ListTracesRequest.getDefaultInstance()).getTracesList())
                .filteredOn(t -> t.getJobUid().equals(uid)).extracting(TraceInfo::getDeadlineUnixMs)
                .containsExactly(deadline);

        GadgetResult result = publisher.finished(uid).get(30, TimeUnit.SECONDS);
        assertThat(result.stopReason()).isEqualTo("completed");
        assertThat(result.durationMs()).isBetween(500L, 5_000L);
    }

    @Test
    void refusesWhatCannotRunAndSaysWhy() {
        PodTarget target = container.target();
        assertRefused(execsnoop(uid(), 10_000, target).setGadget("execsnop"), "UnknownGadget", "execsnoop");
        assertRefused(execsnoop(uid(), 10_000, target).putParams("max-args", "99"), "InvalidParameters", "max-args");
        assertRefused(execsnoop(uid(), 10_000, target).putParams("failed-only", "maybe"), "InvalidParameters",
                "failed-only");
        assertRefused(execsnoop(uid(), 10_000, target).putParams("per-disk", "true"), "InvalidParameters", "per-disk");
        assertRefused(execsnoop(uid(), 0, target), "InvalidDuration", "duration_ms 0");
        assertRefused(execsnoop(uid(), -5, target), "InvalidDuration", "duration_ms -5");
        assertRefused(execsnoop(uid(), Duration.ofDays(400).toMillis(), target), "InvalidDuration", "1h");
        assertRefused(execsnoop(uid(), 10_000, target).setDeadlineUnixMs(System.currentTimeMillis() - 1000),
                "DeadlinePassed", "deadline");
        assertRefused(execsnoop(uid(), 10_000, target).setMaxEvents(-1), "InvalidParameters", "max_events");
        assertRefused(execsnoop("", 10_000, target), "InvalidRequest", "job_uid");
    }

    private static void assertRefused(StartTraceRequest.Builder request, String reason, String messagePart) {
        StartTraceResponse r = daemon.startTrace(request.build());
        assertThat(r.getAccepted()).isFalse();
        assertThat(r.getAttachMicros()).isZero();
        assertThat(r.getReason()).isEqualTo(reason);
        assertThat(r.getMessage()).contains(messagePart);
        assertThat(daemon.listTraces(ListTracesRequest.getDefaultInstance()).getTracesList())
                .noneMatch(t -> t.getJobUid().equals(request.getJobUid()));
        assertThat(publisher.calls(request.getJobUid())).isEmpty();
    }

    @Test
    void reportsEachContainerThatDoesNotResolveAndStartsOncePerJob() throws Exception {
        String uid = uid();
        String missingId = randomContainerId();
        PodTarget pod = container.target().toBuilder()
                .addContainers(ContainerTarget.newBuilder().setName("gone").setContainerId("containerd://" + missingId))
                .addContainers(ContainerTarget.newBuilder().setName("odd").setContainerId("rkt://abc"))
                .build();
        PodTarget otherPod = PodTarget.newBuilder().setPodUid(UUID.randomUUID().toString()).setPodName("elsewhere")
                .setNamespace("team-a").addContainers(ContainerTarget.newBuilder().setName("app")
                        .setContainerId("containerd://" + randomContainerId())).build();

        StartTraceResponse first = daemon.startTrace(execsnoop(uid, 60_000, pod).addTargets(otherPod).build());
        assertThat(first.getAccepted()).as(first.getMessage()).isTrue();
        List<ContainerResolution> rs = first.getResolutionsList();
        assertThat(rs).extracting(ContainerResolution::getContainerName).containsExactly("app", "gone", "odd", "app");
        assertThat(rs.get(0).getError()).isEmpty();
        assertThat(rs.get(0).getCgroupId()).isEqualTo(CgroupV2.idOf(container.leaf));
        assertThat(rs.get(1).getError()).contains(missingId).contains("not found");
        assertThat(rs.get(2).getError()).contains("unsupported container runtime 'rkt'");
        assertThat(rs.get(3).getError()).contains("has no cgroup");
        assertThat(rs.subList(1, 4)).allSatisfy(r -> {
            assertThat(r.getCgroupId()).isZero();
            assertThat(r.getCgroupPath()).isEmpty();
        });

        // the operator re-sends after its own restart: the same job, not a second one
        StartTraceResponse again = daemon.startTrace(execsnoop(uid, 60_000, pod).addTargets(otherPod).build());
        assertThat(again.getAccepted()).isTrue();
        assertThat(again.getAttachMicros()).as("nothing attached for a job already running").isZero();
        assertThat(again.getReason()).isEqualTo("AlreadyRunning");
        assertThat(again.getResolutionsList()).isEqualTo(rs);
        assertThat(daemon.listTraces(ListTracesRequest.getDefaultInstance()).getTracesList())
                .filteredOn(t -> t.getJobUid().equals(uid)).hasSize(1);
        assertThat(publisher.calls(uid)).containsExactly("running");

        // the filter follows the targets: only unresolvable containers left
        UpdateTargetsResponse updated = daemon.updateTargets(UpdateTargetsRequest.newBuilder().setJobUid(uid)
                .addTargets(otherPod).build());
        assertThat(updated.getFound()).isTrue();
        assertThat(updated.getResolutionsList()).singleElement()
                .satisfies(r -> assertThat(r.getError()).contains("has no cgroup"));

        assertThat(daemon.stopTrace(StopTraceRequest.newBuilder().setJobUid(uid).build()).getFound()).isTrue();
        publisher.finished(uid).get(30, TimeUnit.SECONDS);

        // nothing resolves: refused, every container's error reported
        String none = uid();
        StartTraceResponse refused = daemon.startTrace(execsnoop(none, 60_000, otherPod).build());
        assertThat(refused.getAccepted()).isFalse();
        assertThat(refused.getReason()).isEqualTo("ContainersNotFound");
        assertThat(refused.getResolutionsList()).singleElement()
                .satisfies(r -> assertThat(r.getError()).contains("has no cgroup"));
        assertThat(publisher.calls(none)).containsExactly("failed:ContainersNotFound");
    }

    @Test
    void unknownJobsAreNotFound() {
        String uid = uid();
        assertThat(daemon.stopTrace(StopTraceRequest.newBuilder().setJobUid(uid).build()).getFound()).isFalse();
        assertThat(daemon.updateTargets(UpdateTargetsRequest.newBuilder().setJobUid(uid).build()).getFound()).isFalse();
        assertThatThrownBy(() -> NodeDaemonGrpc.newBlockingStub(channel)
                .followEvents(FollowEventsRequest.newBuilder().setJobUid(uid).build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }

    @Test
    void nodeStatusReportsWhatThisNodeCanTrace() {
        NodeStatus status = daemon.getNodeStatus(NodeStatusRequest.getDefaultInstance());
        assertThat(status.getNodeName()).isEqualTo(NODE);
        assertThat(status.getKernelRelease()).isEqualTo(System.getProperty("os.version")).isNotBlank();
        assertThat(status.getBtfAvailable()).isTrue();
        assertThat(status.getBtfPath()).isEqualTo(Preflight.btfPath().toString());
        assertThat(status.getCgroup2Root()).isEqualTo(CgroupV2.host().root().toString());
        assertThat(status.getCgroup2Found()).isTrue();
        assertThat(status.getLibbpfVersion()).startsWith("v1.");
        assertThat(status.getHooksList()).extracting(HookStatus::getGadget)
                .containsExactlyInAnyOrderElementsOf(dev.kgadget.api.catalog.GadgetCatalog.all().stream()
                        .map(g -> g.name()).toList())
                .hasSize(13);
        assertThat(status.getHooksList()).allSatisfy(h -> {
            assertThat(h.getAvailable()).as(h.getGadget()).isTrue();
            assertThat(h.getMissingHooksList()).isEmpty();
        });
        assertThat(status.getRunningTraces()).isNotNegative();
    }

    @Test
    void refusesClientsWithoutACertificateOfItsCa() throws Exception {
        TestTls.assertRefusesStrangers("localhost:" + server.port());
        // the same daemon answers the client of its own CA
        assertThat(daemon.getNodeStatus(NodeStatusRequest.getDefaultInstance()).getNodeName()).isEqualTo(NODE);
    }

    @Test
    void closingTheServerEndsEveryTraceAndPublishesItsResult() throws Exception {
        RecordingPublisher own = new RecordingPublisher();
        DaemonServer second = newServer(own);
        ManagedChannel ch = TestTls.channel("localhost", second.port());
        try {
            String uid = uid();
            StartTraceResponse started = NodeDaemonGrpc.newBlockingStub(ch)
                    .startTrace(execsnoop(uid, 600_000, container.target()).build());
            assertThat(started.getAccepted()).as(started.getMessage()).isTrue();
            Follow follow = new Follow();
            NodeDaemonGrpc.newStub(ch).followEvents(FollowEventsRequest.newBuilder().setJobUid(uid).build(), follow);
            await().atMost(Duration.ofSeconds(10)).until(() -> second.service().followers() == 1);

            second.close();

            assertThat(own.finished(uid)).isDone();
            assertThat(own.finished(uid).get().stopReason()).isEqualTo("cancelled");
            assertThat(second.service().jobs().running()).isZero();
            assertThat(follow.done.get(10, TimeUnit.SECONDS)).isNull();
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            second.close();
        }
    }

    // ---- helpers ----

    private static String uid() {
        return UUID.randomUUID().toString();
    }

    private static String randomContainerId() {
        return PodCgroup.randomContainerId();
    }

    private static StartTraceRequest.Builder execsnoop(String uid, long durationMs, PodTarget target) {
        return StartTraceRequest.newBuilder().setJobUid(uid).setJobNamespace("team-a")
                .setJobName("job-" + (uid.length() >= 8 ? uid.substring(0, 8) : "x")).setGadget("execsnoop")
                .setDurationMs(durationMs).setDeadlineUnixMs(System.currentTimeMillis() + 3_600_000)
                .setMaxEvents(1000).setResultsConfigmap("results-" + uid).addTargets(target);
    }

    private static List<JsonNode> trueExecs(List<JsonNode> events) {
        return events.stream().filter(j -> "/bin/true".equals(j.path("filename").asText())).toList();
    }

    private static Follow follow(String uid) {
        Follow f = new Follow();
        async.followEvents(FollowEventsRequest.newBuilder().setJobUid(uid).build(), f);
        return f;
    }

    /** A FollowEvents stream as the client sees it. */
    private static final class Follow implements StreamObserver<EventBatch> {
        final List<FollowedEvent> events = new CopyOnWriteArrayList<>();
        /** null on completion, the error otherwise. */
        final CompletableFuture<Throwable> done = new CompletableFuture<>();

        @Override
        public void onNext(EventBatch value) {
            events.addAll(FollowedEvent.of(value));
        }

        @Override
        public void onError(Throwable t) {
            done.complete(t);
        }

        @Override
        public void onCompleted() {
            done.complete(null);
        }

        long lastSeq() {
            return events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
        }

        List<JsonNode> jsonEvents() {
            List<JsonNode> out = new ArrayList<>();
            for (FollowedEvent e : events) {
                try {
                    out.add(JSON.readTree(e.jsonFields()));
                } catch (IOException ex) {
                    throw new AssertionError("not JSON: " + e.jsonFields(), ex);
                }
            }
            return out;
        }
    }

    /** What NodeJobs hands to the publisher, per job uid, in order. */
    static final class RecordingPublisher implements NodeJobs.Publisher {
        private final Map<String, List<String>> calls = new ConcurrentHashMap<>();
        /** calls with the progress reports among them, as "progress:EVENTS" */
        private final Map<String, List<String>> timeline = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<GadgetResult>> finished = new ConcurrentHashMap<>();

        List<String> calls(String uid) {
            return List.copyOf(calls.getOrDefault(uid, List.of()));
        }

        CompletableFuture<GadgetResult> finished(String uid) {
            return finished.computeIfAbsent(uid, k -> new CompletableFuture<>());
        }

        List<String> timeline(String uid) {
            return List.copyOf(timeline.getOrDefault(uid, List.of()));
        }

        private void record(NodeJob job, String what) {
            calls.computeIfAbsent(job.jobUid(), k -> new CopyOnWriteArrayList<>()).add(what);
            timeline.computeIfAbsent(job.jobUid(), k -> new CopyOnWriteArrayList<>()).add(what);
        }

        @Override
        public void progress(NodeJob job, List<ContainerCgroups.Resolution> resolutions, Instant startedAt,
                             long events, long lostEvents) {
            timeline.computeIfAbsent(job.jobUid(), k -> new CopyOnWriteArrayList<>()).add("progress:" + events);
        }

        @Override
        public void running(NodeJob job, List<ContainerCgroups.Resolution> resolutions, Instant startedAt) {
            record(job, "running");
        }

        @Override
        public void finished(NodeJob job, List<ContainerCgroups.Resolution> resolutions, GadgetResult result) {
            record(job, "finished");
            finished(job.jobUid()).complete(result);
        }

        @Override
        public void failed(NodeJob job, List<ContainerCgroups.Resolution> resolutions, String reason, String message) {
            record(job, "failed:" + reason);
        }
    }

    /** A container as the kubelet lays out its cgroup (see {@link PodCgroup}), with its pod target. */
    static final class FakeContainer implements AutoCloseable {
        final String podUid = UUID.randomUUID().toString();
        final String id = PodCgroup.randomContainerId();
        final TestCgroup cgroup = PodCgroup.create(podUid, id);
        final Path leaf = cgroup.path();

        static FakeContainer create() {
            return new FakeContainer();
        }

        PodTarget target() {
            return PodTarget.newBuilder().setPodUid(podUid).setPodName("web-0").setNamespace("team-a")
                    .addContainers(ContainerTarget.newBuilder().setName("app").setContainerId("containerd://" + id))
                    .build();
        }

        /** Runs a command inside the container's cgroup from its first instruction, to completion. */
        void run(String... command) {
            cgroup.run(command);
        }

        @Override
        public void close() {
            cgroup.close();
        }
    }
}
