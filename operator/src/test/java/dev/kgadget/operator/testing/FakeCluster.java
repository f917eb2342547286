package dev.kgadget.operator.testing;

import dev.kgadget.api.cluster.DaemonDirectory;
import dev.kgadget.api.tls.DaemonTls;
import dev.kgadget.api.tls.TlsMaterial;
import dev.kgadget.operator.TlsBootstrap;
import dev.kgadget.daemon.cgroup.CgroupV2;
import dev.kgadget.daemon.cgroup.ContainerCgroups;
import dev.kgadget.daemon.jobs.NodeJobs;
import dev.kgadget.daemon.runtime.GadgetRuntime;
import dev.kgadget.daemon.server.DaemonServer;
import dev.kgadget.daemon.server.NodeDaemonService;
import dev.kgadget.daemon.status.StatusPublisher;
import dev.kgadget.daemon.testing.KubeApis;
import dev.kgadget.daemon.testing.PodCgroup;
import dev.kgadget.daemon.testing.TestCgroup;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A cluster with no kubelet, made real where it matters: Node and Pod objects on the real API
 * server (pod status with container ids written through the status subresource), a real
 * cgroup per container in the kubelet's systemd/containerd layout, and a real node daemon per
 * node (gRPC on loopback, real BPF), announced by a Ready daemon Pod like the DaemonSet's.
 */
public final class FakeCluster implements AutoCloseable {
    public static final String DAEMON_NAMESPACE = "kgadget-system";

    private final KubernetesClient client;
    /** What the daemons publish with (the daemon ServiceAccount's identity where RBAC is under test). */
    private final KubernetesClient daemonClient;
    private final Map<String, Daemon> daemons = new HashMap<>();
    private final List<TestCgroup> cgroups = new ArrayList<>();

    /** One simulated node's daemon. */
    public record Daemon(String node, DaemonServer server, NodeJobs jobs, Mutable publisher) {
    }

    /** Publishes through a real StatusPublisher until muted: a crashed daemon writes nothing more. */
    public static final class Mutable implements NodeJobs.Publisher {
        private final StatusPublisher delegate;
        private volatile boolean muted;

        Mutable(StatusPublisher delegate) {
            this.delegate = delegate;
        }

        void mute() {
            muted = true;
        }

        @Override
        public void running(dev.kgadget.daemon.jobs.NodeJob job, List<ContainerCgroups.Resolution> r,
                            java.time.Instant startedAt) {
            if (!muted) {
                delegate.running(job, r, startedAt);
            }
        }

        @Override
        public void finished(dev.kgadget.daemon.jobs.NodeJob job, List<ContainerCgroups.Resolution> r,
                             dev.kgadget.api.result.GadgetResult result) {
            if (!muted) {
                delegate.finished(job, r, result);
            }
        }

        @Override
        public void progress(dev.kgadget.daemon.jobs.NodeJob job, List<ContainerCgroups.Resolution> r,
                             java.time.Instant startedAt, long events, long lost) {
            if (!muted) {
                delegate.progress(job, r, startedAt, events, lost);
            }
        }

        @Override
        public void failed(dev.kgadget.daemon.jobs.NodeJob job, List<ContainerCgroups.Resolution> r, String reason, String message) {
            if (!muted) {
                delegate.failed(job, r, reason, message);
            }
        }
    }

    /** A pod with one running container whose cgroup is real. */
    public record FakePod(Pod pod, String containerId, TestCgroup cgroup) {
        public String uid() {
            return pod.getMetadata().getUid();
        }
    }

    public FakeCluster(KubernetesClient client) {
        this(client, client);
    }

    /** @param daemonClient what the daemons write status and results with */
    public FakeCluster(KubernetesClient client, KubernetesClient daemonClient) {
        this.client = client;
        this.daemonClient = daemonClient;
        namespace(DAEMON_NAMESPACE);
    }

    public void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .serverSideApply();
    }

    public void node(String name, Map<String, String> labels) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
                .serverSideApply();
    }

    /** Starts a real daemon for {@code node} and announces it with a Ready daemon pod. */
    public Daemon startDaemon(String node) {
        ContainerCgroups cg = new ContainerCgroups(CgroupV2.host().root());
        Mutable publisher = new Mutable(new StatusPublisher(KubeApis.of(daemonClient), node));
        NodeJobs jobs = new NodeJobs(new GadgetRuntime(), cg, publisher);
        // as the DaemonSet mounts it: the Secret the operator makes on its first start (made here when
        // the daemons start first, which the operator then finds and uses)
        TlsBootstrap.ensure(client, DAEMON_NAMESPACE);
        TlsMaterial tls = TlsBootstrap.read(client, DAEMON_NAMESPACE, DaemonTls.SERVER_SECRET);
        DaemonServer server = DaemonServer.start(0, new NodeDaemonService(node, jobs, cg), DaemonTls.server(tls));
        Pod p = new PodBuilder().withNewMetadata().withName("kgadget-daemon-" + node).withNamespace(DAEMON_NAMESPACE)
                .withLabels(Map.of(DaemonDirectory.DAEMON_LABEL, DaemonDirectory.DAEMON_LABEL_VALUE))
                .withAnnotations(Map.of(DaemonDirectory.PORT_ANNOTATION, Integer.toString(server.port())))
                .endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("daemon").withImage("kgadget-daemon").endContainer()
                .endSpec().build();
        Pod created = client.pods().inNamespace(DAEMON_NAMESPACE).resource(p).create();
        created.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("127.0.0.1")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        client.pods().inNamespace(DAEMON_NAMESPACE).resource(created).updateStatus();
        Daemon d = new Daemon(node, server, jobs, publisher);
        daemons.put(node, d);
        return d;
    }

    /**
     * The daemon dies: it reports nothing more and stops answering, while its pod still claims
     * Ready (as right after a crash). Its BPF programs are released as the kernel would on exit.
     */
    public void killDaemon(String node) {
        Daemon d = daemons.remove(node);
        d.publisher().mute();
        d.server().close();
    }

    /** A Running pod on {@code node} with one container "app" whose real cgroup is returned. */
    public FakePod pod(String namespace, String name, String node, Map<String, String> labels) {
        Pod p = new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("app").withImage("busybox").endContainer()
                .endSpec().build();
        Pod created = client.pods().inNamespace(namespace).resource(p).create();
        String id = PodCgroup.randomContainerId();
        TestCgroup cg = PodCgroup.create(created.getMetadata().getUid(), id);
        cgroups.add(cg);
        created.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0." + (cgroups.size() + 1))
                .addNewContainerStatus().withName("app").withImage("busybox").withImageID("busybox@sha256:" + id)
                .withContainerID("containerd://" + id).withReady(true).withRestartCount(0).withStarted(true)
                .withNewState().withNewRunning().withStartedAt(java.time.Instant.now().toString()).endRunning().endState()
                .endContainerStatus().build());
        Pod withStatus = client.pods().inNamespace(namespace).resource(created).updateStatus();
        return new FakePod(withStatus, "containerd://" + id, cg);
    }

    /**
     * The pod's container restarts: a new container id and a new leaf cgroup in the same pod
     * cgroup, published in the pod's status the way the kubelet does.
     */
    public FakePod restart(FakePod old) {
        String id = PodCgroup.randomContainerId();
        TestCgroup cg = TestCgroup.createAt(old.cgroup().path().resolveSibling("cri-containerd-" + id + ".scope"));
        cgroups.add(0, cg); // removed before its pod's directory
        Pod p = client.pods().inNamespace(old.pod().getMetadata().getNamespace()).withName(old.pod().getMetadata().getName()).get();
        var cs = p.getStatus().getContainerStatuses().get(0);
        cs.setContainerID("containerd://" + id);
        cs.setRestartCount(cs.getRestartCount() + 1);
        Pod updated = client.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).updateStatus();
        return new FakePod(updated, "containerd://" + id, cg);
    }

    public static String uniqueNamespace(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    public Daemon daemon(String node) {
        return daemons.get(node);
    }

    @Override
    public void close() {
        for (Daemon d : List.copyOf(daemons.values())) {
            d.jobs().close();
            d.server().close();
        }
        daemons.clear();
        cgroups.forEach(TestCgroup::close);
    }
}
