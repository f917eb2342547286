package dev.kgadget.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kgadget.api.grpc.FollowEventsRequest;
import dev.kgadget.api.grpc.NodeDaemonGrpc;
import dev.kgadget.api.grpc.NodeStatus;
import dev.kgadget.api.grpc.NodeStatusRequest;
import dev.kgadget.api.grpc.StartTraceRequest;
import dev.kgadget.api.cluster.FollowedEvent;
import dev.kgadget.api.grpc.EventBatch;
import dev.kgadget.daemon.libbpf.LoadedPrograms;
import dev.kgadget.daemon.libbpf.ProgramStats;
import dev.kgadget.daemon.testing.PodCgroup;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.TestTls;

import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The images as a container runtime would run them, without one: each OCI tarball's layers
 * unpacked into a root, entered with chroot in a private mount namespace with /proc and /sys
 * mounted (as a pod gets them), its entrypoint run. The daemon image must hold everything it
 * needs — JRE, glibc, libbpf, the BPF objects — to trace a real cgroup on this kernel.
 */
class ImagesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDaemonImageTracesOnThisKernelWithNothingFromTheHost(@TempDir Path dir) throws Exception {
        OciImage image = OciImage.unpack(Path.of(System.getProperty("kgadget.daemonImage")), dir);
        System.out.printf("daemon image: %.1f MiB compressed%n", image.compressedBytes / 1048576.0);
        TestTls.PAIR.server().writeTo(image.root.resolve("etc/kgadget/tls"));
        int grpcPort = freePort();
        int healthPort = freePort();
        List<String> args = new ArrayList<>(image.entrypoint);
        args.addAll(List.of("--grpc-port=" + grpcPort, "--health-port=" + healthPort, "--tls-dir=/etc/kgadget/tls",
                // the host's cgroup2 mount (under /sys, which the container gets): /sys/fs/cgroup/unified on hybrid hosts
                "--cgroup-root=" + dev.kgadget.daemon.cgroup.CgroupV2.host().root(), "--btf=/sys/kernel/btf/vmlinux"));
        Process daemon = inContainer(image, Map.of("NODE_NAME", "node-img"), args);
        ManagedChannel channel = TestTls.channel("127.0.0.1", grpcPort);
        try (PodCgroup.Pod pod = PodCgroup.pod("web-0", "team")) {
            TestCgroup container = pod.cgroup();
            var stub = NodeDaemonGrpc.newBlockingStub(channel);
            NodeStatus status = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                    stub.withDeadlineAfter(5, TimeUnit.SECONDS).getNodeStatus(NodeStatusRequest.getDefaultInstance()),
                    s -> s != null);
            assertThat(status.getNodeName()).isEqualTo("node-img");
            assertThat(status.getBtfAvailable()).isTrue();
            assertThat(status.getCgroup2Found()).isTrue();
            assertThat(status.getLibbpfVersion()).isEqualTo("v1.1"); // Debian 12's libbpf1, from the image
            assertThat(status.getHooksList()).allSatisfy(h -> assertThat(h.getAvailable()).as(h.getGadget()).isTrue());

            String jobUid = UUID.randomUUID().toString();
            var started = stub.withDeadlineAfter(1, TimeUnit.MINUTES).startTrace(StartTraceRequest.newBuilder()
                    .setJobUid(jobUid).setJobNamespace("team").setJobName("img").setGadget("execsnoop")
                    .setDurationMs(600_000).setMaxEvents(100)
                    .addTargets(pod.target())
                    .build());
            assertThat(started.getAccepted()).as(started.getMessage()).isTrue();
            Iterator<EventBatch> events = NodeDaemonGrpc.newBlockingStub(channel)
                    .followEvents(FollowEventsRequest.newBuilder().setJobUid(jobUid).build());
            container.run("/bin/sh", "-c", "/bin/true; /bin/true; /bin/true");
            List<String> filenames = new ArrayList<>();
            while (filenames.stream().filter("/bin/true"::equals).count() < 3) {
                for (FollowedEvent e : FollowedEvent.of(events.next())) {
                    assertThat(e.pod()).isEqualTo("web-0");
                    filenames.add(JSON.readTree(e.jsonFields()).get("filename").asText());
                }
            }
            assertThat(filenames).containsExactly("/bin/sh", "/bin/true", "/bin/true", "/bin/true");

            daemon.destroy(); // SIGTERM, as the kubelet stops a pod
            assertThat(daemon.waitFor(40, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(LoadedPrograms.named("kg_")).extracting(ProgramStats.Info::name).isEmpty());
        } finally {
            channel.shutdownNow();
            daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theOperatorImageStartsAsAnUnprivilegedUser(@TempDir Path dir) throws Exception {
        OciImage image = OciImage.unpack(Path.of(System.getProperty("kgadget.operatorImage")), dir);
        System.out.printf("operator image: %.1f MiB compressed%n", image.compressedBytes / 1048576.0);
        List<String> args = new ArrayList<>(image.entrypoint);
        args.add("--help");
        String out = runToSuccess(image, args);
        assertThat(out).contains("Usage: kgadget-operator").contains("--allowed-gadgets").contains("--leader-election");

        // the JRE's class-data archive is usable as the image lays it out (-Xshare:on fails otherwise)
        String cds = runToSuccess(image, List.of("/opt/java/bin/java", "-Xshare:on", "-Xlog:cds=info", "-version"));
        assertThat(cds).contains("Opened archive /opt/java/lib/server/classes.jsa");
    }

    /** Runs {@code args} in the image as its unprivileged user; its output, once it has exited 0. */
    private static String runToSuccess(OciImage image, List<String> args) throws Exception {
        Process p = inContainer(image, Map.of(), args, "--userspec=65532:65532");
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes());
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /**
     * The image's entrypoint in its own root: a private mount namespace with /proc and the
     * host's /sys (cgroup2, BTF) inside, its Env, and nothing else of the host.
     */
    private static Process inContainer(OciImage image, Map<String, String> env, List<String> args, String... chrootOptions)
            throws Exception {
        String root = image.root.toString();
        // host tools by absolute path: the environment is the image's (its PATH)
        StringBuilder cmd = new StringBuilder("/usr/bin/mount -t proc proc " + root + "/proc && /usr/bin/mount --rbind /sys "
                + root + "/sys && exec /usr/sbin/chroot " + String.join(" ", chrootOptions) + " " + root);
        for (String a : args) {
            cmd.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/unshare", "--mount", "--propagation", "private", "/bin/sh", "-c", cmd.toString())
                .redirectErrorStream(true);
        pb.environment().clear();
        for (String e : image.env) {
            int eq = e.indexOf('=');
            pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        pb.environment().putAll(env);
        if (!env.isEmpty()) {
            Path log = Files.createTempFile(image.root.getParent(), "container", ".log");
            pb.redirectOutput(log.toFile());
        }
        return pb.start();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
