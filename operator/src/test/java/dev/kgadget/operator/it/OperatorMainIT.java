package dev.kgadget.operator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.api.crd.TraceJobSelector;
import dev.kgadget.api.crd.TraceJobSpec;
import dev.kgadget.operator.testing.ApiServer;
import dev.kgadget.operator.testing.FakeCluster;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator as the process a Deployment runs: kubeconfig, flags, probes, JSON logs, SIGTERM. */
class OperatorMainIT {
    @Test
    void theOperatorProcessServesProbesLogsJsonReconcilesAndStopsOnSigterm() throws Exception {
        KubernetesClient client = ApiServer.client();
        Path kubeconfig = Files.createTempFile("kgadget-it", ".kubeconfig");
        Files.writeString(kubeconfig, ApiServer.kubeconfigYaml());
        int healthPort;
        try (ServerSocket s = new ServerSocket(0)) {
            healthPort = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.kgadget.operator.Main",
                "--health-port", Integer.toString(healthPort), "--grace", "2s")
                .redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        Process operator = pb.start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(operator.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // the process went away
            }
        });
        reader.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    get(http, healthPort, "/readyz").statusCode() == 200);
            assertThat(get(http, healthPort, "/healthz").body()).isEqualTo("ok\n");

            String ns = FakeCluster.uniqueNamespace("main");
            new FakeCluster(client).namespace(ns);
            TraceJob job = new TraceJob();
            job.setMetadata(new ObjectMetaBuilder().withName("nobody").withNamespace(ns).build());
            TraceJobSpec spec = new TraceJobSpec();
            spec.setGadget("runqlat");
            TraceJobSelector sel = new TraceJobSelector();
            sel.setPodSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "absent")).build());
            spec.setSelector(sel);
            job.setSpec(spec);
            client.resource(job).create();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                TraceJob t = client.resources(TraceJob.class).inNamespace(ns).withName("nobody").get();
                return t.getStatus() != null && t.getStatus().getPhase() == TraceJobPhase.Failed;
            });

            // its own log lines are JSON objects, one per line
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.contains("NoTargets")));
            String logged = lines.stream().filter(l -> l.contains("NoTargets")).findFirst().orElseThrow();
            JsonNode entry = new ObjectMapper().readTree(logged);
            assertThat(entry.get("level").asText()).isEqualTo("INFO");
            assertThat(entry.get("loggerName").asText()).isEqualTo("dev.kgadget.operator.TraceJobReconciler");

            operator.destroy(); // SIGTERM
            assertThat(operator.waitFor(20, TimeUnit.SECONDS)).as("stopped after SIGTERM; output %s", lines).isTrue();
        } finally {
            operator.destroyForcibly();
            Files.deleteIfExists(kubeconfig);
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
