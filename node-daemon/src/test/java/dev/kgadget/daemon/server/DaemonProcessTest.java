package dev.kgadget.daemon.server;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kgadget.api.grpc.FollowEventsRequest;
import dev.kgadget.api.grpc.NodeDaemonGrpc;
import dev.kgadget.api.grpc.NodeStatusRequest;
import dev.kgadget.api.grpc.StartTraceRequest;
import dev.kgadget.api.cluster.FollowedEvent;
import dev.kgadget.api.grpc.EventBatch;
import dev.kgadget.daemon.libbpf.LoadedPrograms;
import dev.kgadget.daemon.libbpf.ProgramStats;
import dev.kgadget.daemon.testing.FakeApiServer;
import dev.kgadget.daemon.testing.PodCgroup;
import dev.kgadget.daemon.testing.ShippedClasspath;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.TestTls;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The daemon as the process a DaemonSet runs (dev.kgadget.daemon.Main): flags, probes, JSON
 * logs, a real trace over gRPC, its status written with the pod's ServiceAccount credentials
 * (to an HTTPS stand-in of the API server), and SIGTERM ending that trace and unloading its
 * programs.
 */
class DaemonProcessTest {
    @Test
    void theDaemonProcessTracesOverGrpcAndStopsCleanlyOnSigterm() throws Exception {
        int grpcPort = freePort();
        int healthPort = freePort();
        Path tls = Files.createTempDirectory("kgadget-tls");
        TestTls.PAIR.server().writeTo(tls);
        FakeApiServer api = FakeApiServer.start(r -> new FakeApiServer.Answer(200, "{}"));
        Path serviceAccount = api.writeServiceAccount(Files.createTempDirectory("kgadget-sa"), "daemon-token");
        ProcessBuilder pb = daemon("node-proc", "--grpc-port", Integer.toString(grpcPort),
                "--health-port", Integer.toString(healthPort), "--tls-dir", tls.toString(),
                "--api-server", api.uri().toString(), "--service-account-dir", serviceAccount.toString());
        // a file, not a pipe: the test reads it whole once the process has exited
        Path log = Files.createTempFile("kgadget-daemon", ".log");
        pb.redirectOutput(log.toFile());
        Process daemon = pb.start();
        ManagedChannel channel = TestTls.channel("127.0.0.1", grpcPort);
        try (PodCgroup.Pod pod = PodCgroup.pod("web-0", "team")) {
            TestCgroup container = pod.cgroup();
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    get(http, healthPort, "/readyz").statusCode() == 200);
            var stub = NodeDaemonGrpc.newBlockingStub(channel).withDeadlineAfter(1, TimeUnit.MINUTES);
            assertThat(stub.getNodeStatus(NodeStatusRequest.getDefaultInstance()).getNodeName()).isEqualTo("node-proc");
            // its TLS (the JDK's, as Main sets up Netty) turns strangers away as DaemonServerTest's does
            TestTls.assertRefusesStrangers("127.0.0.1:" + grpcPort);

            String jobUid = UUID.randomUUID().toString();
            var started = stub.startTrace(StartTraceRequest.newBuilder().setJobUid(jobUid).setJobNamespace("team")
                    .setJobName("exec").setGadget("execsnoop").setDurationMs(600_000).setMaxEvents(100)
                    .addTargets(pod.target())
                    .build());
            assertThat(started.getAccepted()).as(started.getMessage()).isTrue();
            Iterator<EventBatch> events = NodeDaemonGrpc.newBlockingStub(channel)
                    .followEvents(FollowEventsRequest.newBuilder().setJobUid(jobUid).build());
            container.run("/bin/sh", "-c", "/bin/true; /bin/true");
            List<String> filenames = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            while (filenames.stream().filter("/bin/true"::equals).count() < 2) {
                for (FollowedEvent e : FollowedEvent.of(events.next())) {
                    filenames.add(json.readTree(e.jsonFields()).get("filename").asText());
                }
            }
            assertThat(LoadedPrograms.named("kg_exec")).isNotEmpty();

            daemon.destroy(); // SIGTERM
            assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
            List<String> lines = Files.readAllLines(log);
            // the stream ends with the trace (no hanging follower), and the programs are gone
            while (events.hasNext()) {
                events.next();
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(LoadedPrograms.named("kg_")).extracting(ProgramStats.Info::name).isEmpty());
            // its log lines are JSON objects; one says the running trace was ended at shutdown
            assertThat(lines).allSatisfy(l -> assertThat(json.readTree(l).get("level").asText()).isIn("INFO", "WARN", "ERROR"));
            assertThat(lines).anySatisfy(l -> assertThat(json.readTree(l).get("formattedMessage").asText())
                    .isEqualTo("shutting down: no new calls; ending 1 running trace(s)"));
            assertThat(lines).anySatisfy(l -> assertThat(json.readTree(l).get("formattedMessage").asText())
                    .startsWith("finished team/exec (execsnoop): 3 events, 0 lost"));
            // the node's entry went Running, then Succeeded with the 3 events, each write as the pod's ServiceAccount
            List<FakeApiServer.Request> writes = api.requests();
            assertThat(writes).isNotEmpty().allSatisfy(w -> {
                assertThat(w.method()).isEqualTo("PATCH");
                assertThat(w.path()).isEqualTo("/apis/kgadget.dev/v1alpha1/namespaces/team/tracejobs/exec/status");
                assertThat(w.query()).isEqualTo("fieldManager=kgadget-daemon-node-proc&force=true");
                assertThat(w.header("Authorization")).isEqualTo("Bearer daemon-token");
            });
            var first = json.readTree(writes.get(0).body()).get("status").get("nodes").get(0);
            var last = json.readTree(writes.get(writes.size() - 1).body()).get("status").get("nodes").get(0);
            assertThat(first.get("phase").asText()).isEqualTo("Running");
            assertThat(last.get("phase").asText()).isEqualTo("Succeeded");
            assertThat(last.get("node").asText()).isEqualTo("node-proc");
            assertThat(last.get("events").asLong()).isEqualTo(3);
        } finally {
            channel.shutdownNow();
            daemon.destroyForcibly();
            api.close();
            Files.deleteIfExists(log);
        }
    }

    @Test
    void aDaemonThatCannotStartSaysWhyInOneLogLine() throws Exception {
        Path tls = Files.createTempDirectory("kgadget-tls");
        TestTls.PAIR.server().writeTo(tls);
        Path badServiceAccount = Files.createTempDirectory("kgadget-sa");
        Files.writeString(badServiceAccount.resolve("ca.crt"), "not a certificate\n");
        ObjectMapper json = new ObjectMapper();
        for (List<String> flags : List.of(List.of("--tls-dir", "/nonexistent/tls"),
                List.of("--tls-dir", tls.toString(), "--service-account-dir", badServiceAccount.toString()))) {
            List<String> args = new ArrayList<>(List.of("--grpc-port", "0", "--health-port", "0"));
            args.addAll(flags);
            Process p = daemon("node-bad", args.toArray(String[]::new)).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isEqualTo(1);
            List<String> lines = out.lines().toList();
            assertThat(lines).as(out).hasSize(1);
            var line = json.readTree(lines.get(0));
            assertThat(line.get("level").asText()).isEqualTo("ERROR");
            assertThat(line.get("formattedMessage").asText()).startsWith(flags.contains("/nonexistent/tls")
                    ? "cannot start: cannot read /nonexistent/tls/ca.crt"
                    : "cannot start: cannot trust the certificates of " + badServiceAccount.resolve("ca.crt"));
        }
    }

    /** The daemon's Main in a JVM of its own, on the class path its image ships, stdout and stderr together. */
    private static ProcessBuilder daemon(String node, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ShippedClasspath.daemon(), "dev.kgadget.daemon.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("NODE_NAME", node);
        return pb;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
