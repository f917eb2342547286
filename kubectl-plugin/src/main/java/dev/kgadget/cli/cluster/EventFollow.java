package dev.kgadget.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kgadget.api.cluster.DaemonDirectory;
import dev.kgadget.api.cluster.FollowedEvent;
import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.grpc.FollowEventsRequest;
import dev.kgadget.api.grpc.NodeDaemonGrpc;
import dev.kgadget.api.grpc.EventBatch;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.cli.render.JsonRenderer;

import dev.kgadget.api.tls.DaemonTls;
import dev.kgadget.api.tls.TlsMaterial;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code run --follow}: each node's events streamed from its daemon (FollowEvents) while the
 * job runs. A node is followed once the job runs there; one that cannot be followed (no
 * reachable daemon, RBAC, or it ended before the stream started) is said on stderr and its
 * kept events are printed from the results when the job ends ({@link #unstreamed()}).
 */
final class EventFollow implements AutoCloseable {
    /** How long after the job's end the streams may take to deliver what they have queued. */
    static final Duration DRAIN = Duration.ofSeconds(10);

    private static final ObjectMapper MAPPER = JsonRenderer.mapper();

    private final KubernetesClient client;
    private final String daemonNamespace;
    private final Consumer<EventRecord> sink;
    private final PrintStream err;
    private final boolean verbose;
    private final Map<String, NodeStream> nodes = new LinkedHashMap<>();
    /** The client certificate daemons accept, read once from the client Secret. */
    private TlsMaterial tls;
    private final Context.CancellableContext calls = Context.current().withCancellation();

    EventFollow(KubernetesClient client, String daemonNamespace, Consumer<EventRecord> sink, PrintStream err,
                boolean verbose) {
        this.client = client;
        this.daemonNamespace = daemonNamespace;
        this.sink = sink;
        this.err = err;
        this.verbose = verbose;
    }

    /** One node's stream. */
    private final class NodeStream implements StreamObserver<EventBatch> {
        final String node;
        final String namespace;
        final CountDownLatch ended = new CountDownLatch(1);
        DaemonConnection connection;
        volatile long received;
        volatile long lastSeq;
        volatile long missed;
        volatile boolean completed;
        volatile String failure;

        NodeStream(String node, String namespace) {
            this.node = node;
            this.namespace = namespace;
        }

        @Override
        public void onNext(EventBatch batch) {
            List<FollowedEvent> events;
            try {
                events = FollowedEvent.of(batch);
            } catch (IllegalArgumentException e) {
                return; // a daemon of another version: nothing to show for these
            }
            for (FollowedEvent e : events) {
                if (e.seq() > lastSeq + 1) {
                    missed += e.seq() - lastSeq - 1;
                }
                lastSeq = e.seq();
                received++;
                deliver(node, namespace, e);
            }
        }

        @Override
        public void onError(Throwable t) {
            Status s = Status.fromThrowable(t);
            failure = s.getCode() == Status.Code.NOT_FOUND ? "the trace had ended before the stream started"
                    : s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
            ended.countDown();
        }

        @Override
        public void onCompleted() {
            completed = true;
            ended.countDown();
        }
    }

    /** Starts following every node where the job now runs and that is not followed yet. */
    void poll(TraceJob job) {
        if (job.getStatus() == null || job.getStatus().getNodes() == null) {
            return;
        }
        for (NodeStatusEntry n : job.getStatus().getNodes()) {
            if (n.getPhase() == NodeTracePhase.Running && !nodes.containsKey(n.getNode())) {
                start(job, n.getNode());
            }
        }
    }

    private void start(TraceJob job, String node) {
        NodeStream stream = new NodeStream(node, job.getMetadata().getNamespace());
        nodes.put(node, stream);
        Optional<Pod> daemon;
        try {
            daemon = DaemonDirectory.podOn(node, client.pods().inNamespace(daemonNamespace)
                    .withLabel(DaemonDirectory.DAEMON_LABEL, DaemonDirectory.DAEMON_LABEL_VALUE).list().getItems());
        } catch (KubernetesClientException e) {
            notFollowed(stream, e.getCode() == 403 ? KubeErrors.forbidden(e.getStatus() == null ? e.getMessage()
                    : e.getStatus().getMessage(), "list the daemon pods") : "cannot list the daemon pods: " + e.getMessage());
            return;
        }
        if (daemon.isEmpty()) {
            notFollowed(stream, "no Ready kgadget daemon pod in namespace " + daemonNamespace
                    + " (see --daemon-namespace)");
            return;
        }
        if (tls == null) {
            try {
                Secret secret = client.secrets().inNamespace(daemonNamespace).withName(DaemonTls.CLIENT_SECRET).get();
                tls = secret == null ? null : TlsMaterial.fromSecretData(secret.getData());
            } catch (KubernetesClientException e) {
                notFollowed(stream, e.getCode() == 403 ? KubeErrors.forbidden(e.getStatus() == null ? e.getMessage()
                        : e.getStatus().getMessage(), "get the daemons' client certificate") : "cannot read the Secret "
                        + DaemonTls.CLIENT_SECRET + ": " + e.getMessage());
                return;
            }
            if (tls == null) {
                notFollowed(stream, "no Secret " + DaemonTls.CLIENT_SECRET + " (with ca.crt, tls.crt, tls.key) in namespace "
                        + daemonNamespace + "; the operator creates it on its first start");
                return;
            }
        }
        try {
            stream.connection = DaemonConnection.open(client, daemon.get(), tls);
        } catch (KubernetesClientException | IllegalStateException e) {
            notFollowed(stream, "cannot reach daemon pod " + daemon.get().getMetadata().getName() + ": " + e.getMessage());
            return;
        }
        if (verbose) {
            err.println("kgadget: following node " + node + " via " + stream.connection.via());
        }
        String uid = job.getMetadata().getUid();
        calls.run(() -> NodeDaemonGrpc.newStub(stream.connection.channel())
                .followEvents(FollowEventsRequest.newBuilder().setJobUid(uid).build(), stream));
    }

    private void notFollowed(NodeStream stream, String why) {
        stream.failure = why;
        stream.ended.countDown();
    }

    private void deliver(String node, String namespace, FollowedEvent e) {
        JsonNode fields;
        try {
            fields = MAPPER.readTree(e.jsonFields());
        } catch (IOException ex) {
            return; // a daemon of another version: nothing to show for this one
        }
        EventRecord record = JobResult.event(node, e.namespace().isEmpty() ? namespace : e.namespace(),
                orNull(e.pod()), orNull(e.container()), fields);
        synchronized (sink) {
            sink.accept(record);
        }
    }

    private static String orNull(String s) {
        return s.isEmpty() ? null : s;
    }

    /** The job has ended: waits for the streams to deliver what is queued (bounded by {@link #DRAIN}). */
    void awaitEnd() throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        for (NodeStream s : nodes.values()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !s.ended.await(left, TimeUnit.NANOSECONDS)) {
                if (s.failure == null && !s.completed) {
                    s.failure = "the stream did not end within " + DRAIN.toSeconds() + "s of the job";
                }
            }
        }
    }

    /** Nodes whose stream did not deliver the whole trace, with why: their events come from the results. */
    List<String> unstreamed() {
        List<String> out = new ArrayList<>();
        for (NodeStream s : nodes.values()) {
            if (!s.completed) {
                out.add(s.node);
            }
        }
        return out;
    }

    /** One stderr line per node that was not (fully) streamed, and per gap. */
    List<String> notes() {
        List<String> out = new ArrayList<>();
        for (NodeStream s : nodes.values()) {
            if (!s.completed) {
                out.add("node " + s.node + ": not streamed (" + s.failure + "); its kept events are printed from the results");
            } else if (s.missed > 0) {
                out.add("node " + s.node + ": " + s.missed + " of " + (s.received + s.missed)
                        + " events were not streamed (the stream fell behind); the totals count them");
            }
        }
        return out;
    }

    /** Whether {@code node} was followed at all (it ran there while the CLI watched). */
    boolean knows(String node) {
        return nodes.containsKey(node);
    }

    @Override
    public void close() {
        calls.cancel(null);
        for (NodeStream s : nodes.values()) {
            if (s.connection != null) {
                s.connection.close();
            }
        }
    }
}
