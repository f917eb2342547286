package dev.kgadget.daemon.status;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.Histogram;
import dev.kgadget.api.result.ProgramCost;
import dev.kgadget.daemon.cgroup.ContainerCgroups.Resolution;
import dev.kgadget.daemon.jobs.NodeJob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pure parts of {@link StatusPublisher}: the results JSON cut to a budget, the status
 * entries and the apply bodies. (The writes themselves are exercised against a real API server
 * by the operator's integration tests.)
 */
class StatusPublisherTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05.678Z");

    @Test
    void aResultThatFitsIsKeptWhole() throws Exception {
        GadgetResult result = events(200);
        ResultJson.Budgeted doc = ResultJson.withinBudget(result, "node-1", 1 << 20);

        assertThat(doc.truncated()).isFalse();
        assertThat(doc.fits()).isTrue();
        assertThat(doc.eventsDropped()).isZero();
        assertThat(doc.bytes()).isEqualTo(doc.json().getBytes(StandardCharsets.UTF_8).length);
        JsonNode json = JSON.readTree(doc.json());
        assertThat(json.get("node").asText()).isEqualTo("node-1");
        assertThat(json.get("truncated").asBoolean()).isFalse();
        assertThat(json.get("eventsDropped").asLong()).isZero();
        assertThat(json.get("events")).hasSize(200);
        assertThat(json.get("eventCount").asLong()).isEqualTo(200);
        assertThat(json.get("startedAt").asText()).isEqualTo("2025-01-02T03:04:05.678Z");
        assertThat(json.get("events").get(0).get("time").asText()).isEqualTo(T0.toString());
        assertThat(json.get("events").get(7).get("args").get(1).asText()).isEqualTo("arg-7");
    }

    @Test
    void eventsBeyondTheBudgetAreDroppedAndCountedExactly() throws Exception {
        GadgetResult result = events(5000);
        for (long budget : new long[]{8_000, 64 * 1024, 256 * 1024}) {
            ResultJson.Budgeted doc = ResultJson.withinBudget(result, "node-1", budget);

            byte[] bytes = doc.json().getBytes(StandardCharsets.UTF_8);
            assertThat(bytes.length).isLessThanOrEqualTo((int) budget).isEqualTo(doc.bytes());
            assertThat(doc.truncated()).isTrue();
            assertThat(doc.fits()).isTrue();
            JsonNode json = JSON.readTree(bytes);
            int kept = json.get("events").size();
            assertThat(kept).isPositive();
            assertThat(doc.eventsDropped()).isEqualTo(5000 - kept);
            assertThat(json.get("truncated").asBoolean()).isTrue();
            assertThat(json.get("eventsDropped").asInt()).isEqualTo(5000 - kept);
            assertThat(json.get("countsDropped").asInt()).isZero();
            // the first events are kept, in order, and as many as fit: one more would not
            assertThat(json.get("events").get(kept - 1).get("pid").asInt()).isEqualTo(1000 + kept - 1);
            assertThat(ResultJson.document(result, "node-1", kept + 1, 0).length).isGreaterThan((int) budget);
            // what the kernel delivered is still told whole
            assertThat(json.get("eventCount").asLong()).isEqualTo(5000);
        }
    }

    @Test
    void countRowsGoOnlyWhenNoEventIsLeftAndItStillDoesNotFit() throws Exception {
        List<CountRow> rows = IntStream.range(0, 3000)
                .mapToObj(i -> new CountRow("comm-" + i, 100 + i, 3000 - i, null)).toList();
        GadgetResult result = new GadgetResult("syscount", Map.of("top", 10L), T0, 1000, "completed",
                OutputKind.COUNTS, List.of(), rows, List.of(), 0, 0, costs());

        ResultJson.Budgeted doc = ResultJson.withinBudget(result, "n", 20_000);

        assertThat(doc.bytes()).isLessThanOrEqualTo(20_000);
        JsonNode json = JSON.readTree(doc.json());
        int kept = json.get("counts").size();
        assertThat(kept).isPositive().isLessThan(3000);
        assertThat(doc.countsDropped()).isEqualTo(3000 - kept);
        assertThat(json.get("countsDropped").asInt()).isEqualTo(3000 - kept);
        assertThat(json.get("counts").get(0).get("name").asText()).isEqualTo("comm-0");
        assertThat(ResultJson.document(result, "n", 0, kept + 1).length).isGreaterThan(20_000);
    }

    @Test
    void aFinishedEntrySummarisesTheNodesResult() {
        List<Resolution> resolutions = List.of(
                new Resolution("pod-a", "containerd://a", Path.of("/x/a"), 11, null),
                new Resolution("pod-a", "containerd://b", Path.of("/x/b"), 12, null),
                new Resolution("pod-b", "containerd://c", null, 0, "container c not found"));
        List<CountRow> rows = IntStream.range(0, 80).mapToObj(i -> new CountRow("sc" + i, null, 80 - i, 10L * i))
                .toList();
        GadgetResult syscount = new GadgetResult("syscount", Map.of("top", 5L, "latency", true), T0, 2000,
                "completed", OutputKind.COUNTS, List.of(), rows, List.of(), 0, 3, costs());
        ResultJson.Budgeted doc = ResultJson.withinBudget(syscount, "n1", 1 << 20);

        NodeStatusEntry e = StatusPublisher.finishedEntry("n1", resolutions, syscount, doc, true);

        assertThat(e.getNode()).isEqualTo("n1");
        assertThat(e.getPhase()).isEqualTo(NodeTracePhase.Succeeded);
        assertThat(e.getReason()).isEqualTo("Completed");
        assertThat(e.getCgroupsMatched()).isEqualTo(2);
        assertThat(e.getContainersUnresolved()).isEqualTo(1);
        assertThat(e.getMessage()).contains("1 container(s) unresolved").contains("container c not found");
        assertThat(e.getLostEvents()).isEqualTo(3);
        assertThat(e.getProgramRuns()).isEqualTo(300);
        assertThat(e.getKernelNsPerEvent()).isEqualTo(50.0);
        assertThat(e.getCounts()).hasSize(5);
        assertThat(e.getCounts().get(0).getName()).isEqualTo("sc0");
        assertThat(e.getStartedAt()).isEqualTo("2025-01-02T03:04:05.678Z");
        assertThat(e.getFinishedAt()).isEqualTo("2025-01-02T03:04:07.678Z");

        // no top parameter: every row up to 50
        GadgetResult noTop = new GadgetResult("syscount", Map.of(), T0, 2000, "cancelled", OutputKind.COUNTS,
                List.of(), rows, List.of(), 0, 0, costs());
        NodeStatusEntry all = StatusPublisher.finishedEntry("n1", resolutions, noTop, doc, true);
        assertThat(all.getCounts()).hasSize(StatusPublisher.MAX_STATUS_COUNT_ROWS);
        assertThat(all.getReason()).isEqualTo("Stopped");

        // histograms through the api's converter
        GadgetResult bio = new GadgetResult("biolatency", Map.of(), T0, 1000, "completed", OutputKind.HISTOGRAM,
                List.of(new Histogram("all", "usecs", new long[]{0, 1, 4, 2, 0, 0})), List.of(), List.of(), 7, 0,
                costs());
        NodeStatusEntry h = StatusPublisher.finishedEntry("n1", resolutions, bio,
                ResultJson.withinBudget(bio, "n1", 1 << 20), true);
        assertThat(h.getHistograms()).singleElement().satisfies(s -> {
            assertThat(s.getBuckets()).containsExactly(0L, 1L, 4L, 2L);
            assertThat(s.getCount()).isEqualTo(7);
            assertThat(s.getUnit()).isEqualTo("usecs");
        });
        assertThat(h.getCounts()).isNull();
    }

    @Test
    void aTruncatedOrUnwrittenResultIsToldInTheMessage() {
        GadgetResult result = events(5000);
        ResultJson.Budgeted doc = ResultJson.withinBudget(result, "n1", 8_000);
        NodeStatusEntry e = StatusPublisher.finishedEntry("n1", List.of(), result, doc, false);
        assertThat(e.getMessage()).contains(doc.eventsDropped() + " event(s) dropped")
                .contains("could not be written");
        assertThat(e.getEvents()).isEqualTo(5000);
    }

    @Test
    void runningAndFailedEntries() {
        List<Resolution> one = List.of(new Resolution("p", "containerd://a", Path.of("/x"), 42, null));
        NodeStatusEntry running = StatusPublisher.runningEntry("n1", one, T0);
        assertThat(running.getPhase()).isEqualTo(NodeTracePhase.Running);
        assertThat(running.getCgroupsMatched()).isEqualTo(1);
        assertThat(running.getContainersUnresolved()).isZero();
        assertThat(running.getStartedAt()).isEqualTo(T0.toString());
        assertThat(running.getFinishedAt()).isNull();

        NodeStatusEntry failed = StatusPublisher.failedEntry("n1", List.of(), "GadgetFailed", "the kernel refused", T0);
        assertThat(failed.getPhase()).isEqualTo(NodeTracePhase.Failed);
        assertThat(failed.getReason()).isEqualTo("GadgetFailed");
        assertThat(failed.getMessage()).isEqualTo("the kernel refused");
        assertThat(failed.getFinishedAt()).isEqualTo(T0.toString());
    }

    @Test
    void theStatusApplyBodyHoldsOnlyThisNodesEntry() throws Exception {
        NodeStatusEntry entry = StatusPublisher.failedEntry("n1", List.of(), "GadgetFailed", "no", T0);
        // serialized as KubeApi sends it
        JsonNode body = JSON.readTree(ModelJson.bytes(StatusPublisher.statusApply(job(), entry)));

        assertThat(fieldNames(body)).containsExactlyInAnyOrder("apiVersion", "kind", "metadata", "status");
        assertThat(body.get("apiVersion").asText()).isEqualTo("kgadget.dev/v1alpha1");
        assertThat(body.get("kind").asText()).isEqualTo("TraceJob");
        assertThat(fieldNames(body.get("metadata"))).containsExactlyInAnyOrder("name", "namespace");
        assertThat(body.get("metadata").get("name").asText()).isEqualTo("job-1");
        assertThat(body.get("metadata").get("namespace").asText()).isEqualTo("team-a");
        assertThat(fieldNames(body.get("status"))).containsExactly("nodes");
        assertThat(body.get("status").get("nodes")).singleElement().satisfies(n -> {
            assertThat(fieldNames(n)).containsExactlyInAnyOrder("node", "phase", "reason", "message",
                    "cgroupsMatched", "containersUnresolved", "finishedAt"); // unset fields are not claimed
            assertThat(n.get("node").asText()).isEqualTo("n1");
            assertThat(n.get("phase").asText()).isEqualTo("Failed");
        });
    }

    @Test
    void theConfigMapApplyBodyHoldsOnlyThisNodesKey() throws Exception {
        JsonNode body = JSON.readTree(ModelJson.bytes(
                StatusPublisher.configMapApply(job(), "cm-uid", "node-1", "{\"a\":1}")));

        assertThat(fieldNames(body)).containsExactlyInAnyOrder("apiVersion", "kind", "metadata", "data");
        assertThat(body.get("kind").asText()).isEqualTo("ConfigMap");
        // uid: a precondition (never re-create a deleted ConfigMap), not a claimed field
        assertThat(fieldNames(body.get("metadata"))).containsExactlyInAnyOrder("name", "namespace", "uid");
        assertThat(body.get("metadata").get("name").asText()).isEqualTo("job-1-results");
        assertThat(body.get("metadata").get("uid").asText()).isEqualTo("cm-uid");
        assertThat(fieldNames(body.get("data"))).containsExactly("node.node-1.json");
        assertThat(body.get("data").get("node.node-1.json").asText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void theResultsOfANamesakesConfigMapAreLeftAlone() throws Exception {
        Object ours = JsonTree.parse(bytes("{\"metadata\":{\"name\":\"job-1-results\",\"ownerReferences\":["
                + "{\"kind\":\"TraceJob\",\"name\":\"job-1\",\"uid\":\"u-1\"}]}}"));
        Object later = JsonTree.parse(bytes("{\"metadata\":{\"name\":\"job-1-results\",\"ownerReferences\":["
                + "{\"kind\":\"Pod\",\"name\":\"p\",\"uid\":\"u-9\"},"
                + "{\"kind\":\"TraceJob\",\"name\":\"job-1\",\"uid\":\"u-2\"}]}}"));
        Object unowned = JsonTree.parse(bytes("{\"metadata\":{\"name\":\"job-1-results\"}}"));
        assertThat(StatusPublisher.ownedByThisJob(ours, job())).isTrue();
        assertThat(StatusPublisher.ownedByThisJob(unowned, job())).isTrue();
        assertThat(StatusPublisher.ownedByThisJob(later, job())).isFalse();

        // what the API server answers when the uid precondition fails (seen on kube-apiserver 1.34)
        assertThat(StatusPublisher.uidPreconditionFailed(new KubeApiException(409,
                "Operation cannot be fulfilled on configmaps \"x\": uid mismatch: the provided object specified uid"
                        + " a, and no existing object was found"))).isTrue();
        assertThat(StatusPublisher.uidPreconditionFailed(new KubeApiException(422,
                "ConfigMap \"x\" is invalid: metadata.uid: Invalid value: \"a\": field is immutable")))
                .isTrue();
        assertThat(StatusPublisher.uidPreconditionFailed(new KubeApiException(409, "conflict"))).isFalse();
    }

    @Test
    void onlyTransientFailuresAreRetried() {
        assertThat(StatusPublisher.retriable(409)).isTrue();
        assertThat(StatusPublisher.retriable(500)).isTrue();
        assertThat(StatusPublisher.retriable(503)).isTrue();
        assertThat(StatusPublisher.retriable(429)).isTrue();
        assertThat(StatusPublisher.retriable(0)).isTrue();
        assertThat(StatusPublisher.retriable(-1)).isTrue();
        assertThat(StatusPublisher.retriable(404)).isFalse();
        assertThat(StatusPublisher.retriable(422)).isFalse();
        assertThat(StatusPublisher.retriable(403)).isFalse();
    }

    @Test
    void writesThatFailNeverReachTheCaller() throws Exception {
        // nothing listens on port 9: every write fails to connect
        KubeApi api = KubeApi.inCluster(URI.create("https://127.0.0.1:9"), Path.of("/nonexistent"));
        assertThat(new StatusPublisher(api, "node-1").fieldManager()).isEqualTo("kgadget-daemon-node-1");
        StatusPublisher publisher = new StatusPublisher(api, "node-1", 1024, Duration.ofMillis(10));
        NodeJob job = new NodeJob("uid-1", "team-a", "job-1", GadgetCatalog.EXECSNOOP,
                GadgetParams.of(GadgetCatalog.EXECSNOOP, Map.of()), Duration.ofSeconds(1), T0, 10, "",
                List.of());
        long start = System.nanoTime();
        publisher.running(job, List.of(), Instant.now());
        publisher.failed(job, List.of(), "GadgetFailed", "no");
        publisher.finished(job, List.of(), events(3));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        publisher.close(); // waits for the (failing, retried, bounded) writes
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    // ---- fixtures ----

    private static NodeJob job() {
        return new NodeJob("u-1", "team-a", "job-1", GadgetCatalog.EXECSNOOP,
                GadgetParams.of(GadgetCatalog.EXECSNOOP, Map.of()), Duration.ofSeconds(1), T0, 10, "job-1-results",
                List.of());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<ProgramCost> costs() {
        return List.of(new ProgramCost("a", 100, 5000, 0), new ProgramCost("b", 200, 10000, 0));
    }

    private static GadgetResult events(int n) {
        List<EventRecord> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("time", T0.plusMillis(i));
            f.put("comm", "worker");
            f.put("pid", 1000 + i);
            f.put("ppid", 1);
            f.put("uid", 0);
            f.put("cgroupId", 4242L);
            f.put("ret", 0);
            f.put("filename", "/usr/bin/worker");
            f.put("args", List.of("/usr/bin/worker", "arg-" + i));
            f.put("argsTruncated", false);
            events.add(new EventRecord(f));
        }
        return new GadgetResult("execsnoop", Map.of("max-args", 20L, "failed-only", false), T0, 1500, "completed",
                OutputKind.EVENTS, List.of(), List.of(), events, n, 0, costs());
    }
}
