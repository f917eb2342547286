package dev.kgadget.daemon.status;

import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.crd.CountSummary;
import dev.kgadget.api.crd.HistogramSummary;
import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.api.result.EventFields;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.Histogram;
import dev.kgadget.api.result.ProgramCost;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The daemon's streaming JSON against databind, which the CLI and the operator read the same
 * types with: byte for byte, field order included, for every type the daemon writes.
 */
class ModelJsonTest {
    /** databind as the CLI writes the model (JavaTimeModule: instants as ISO-8601 text). */
    private static final ObjectMapper DATABIND = new ObjectMapper()
            .registerModule(new SimpleModule("instants").addSerializer(Instant.class, ToStringSerializer.instance));
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05.678Z");

    @Test
    void anEventResultIsWrittenAsDatabindWritesIt() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("failed", true);
        params.put("name", "cat \"quoted\" \u00e9\u0001");
        params.put("top", 10L);
        params.put("args", List.of("a", "b"));
        EventRecord e1 = EventFields.builder().put("time", T0).put("pid", 42).put("ret", -2L).put("comm", "sh")
                .put("args", List.of("-c", "echo \u4e2d")).put("ratio", 0.25).put("none", null).record();
        EventRecord e2 = EventFields.builder().put("time", T0.plusNanos(1)).put("pid", Integer.MAX_VALUE)
                .put("big", BigInteger.TWO.pow(70)).record();
        GadgetResult r = new GadgetResult("execsnoop", params, T0, 1500, "completed", OutputKind.EVENTS, List.of(),
                List.of(), List.of(e1, e2), 7, 3, List.of(new ProgramCost("p", 3, 1000, 1),
                new ProgramCost("q", 0, 0, 0)));

        assertThat(ModelJson.string(r)).isEqualTo(DATABIND.writeValueAsString(r));
        assertThat(ModelJson.string(e1)).isEqualTo(DATABIND.writeValueAsString(e1));
        EventJsonWriter events = new EventJsonWriter();
        int n = events.write(new EventBuffer().load(e2));
        assertThat(new String(events.bytes(), 0, n, StandardCharsets.UTF_8))
                .isEqualTo(DATABIND.writeValueAsString(e2.fields()));
    }

    @Test
    void histogramsAndCountRowsAreWrittenAsDatabindWritesThem() throws Exception {
        GadgetResult histograms = new GadgetResult("biolatency", Map.of(), T0, 10, null, OutputKind.HISTOGRAM,
                List.of(new Histogram("sda", "usecs", new long[]{0, 3, 9, 0, 1}), new Histogram("all", "nsecs",
                        new long[0])), List.of(), List.of(), 0, 0, List.of());
        GadgetResult counts = new GadgetResult("syscount", Map.of("latency", false), T0, 10, "cancelled",
                OutputKind.COUNTS, List.of(), List.of(new CountRow("openat", null, 12, null),
                new CountRow("read", 7, 5, 1234L), new CountRow("idle", 8, 0, 0L)), List.of(), 17, 0, List.of());

        assertThat(ModelJson.string(histograms)).isEqualTo(DATABIND.writeValueAsString(histograms));
        assertThat(ModelJson.string(counts)).isEqualTo(DATABIND.writeValueAsString(counts));
    }

    @Test
    void aResultsDocumentIsTheResultBetweenTheNodeAndTheCutCounts() throws Exception {
        GadgetResult r = new GadgetResult("syscount", Map.of(), T0, 10, "completed", OutputKind.COUNTS, List.of(),
                List.of(new CountRow("read", null, 5, null), new CountRow("write", null, 2, null)), List.of(), 7, 0,
                List.of());
        GadgetResult cut = new GadgetResult("syscount", Map.of(), T0, 10, "completed", OutputKind.COUNTS, List.of(),
                List.of(new CountRow("read", null, 5, null)), List.of(), 7, 0, List.of());
        ObjectNode expected = DATABIND.createObjectNode().put("node", "n-1");
        expected.setAll((ObjectNode) DATABIND.valueToTree(cut));
        expected.put("truncated", true).put("eventsDropped", 0).put("countsDropped", 1);

        assertThat(new String(ResultJson.document(r, "n-1", 0, 1), StandardCharsets.UTF_8))
                .isEqualTo(DATABIND.writeValueAsString(expected));
    }

    @Test
    void statusEntriesAreWrittenAsDatabindWritesThemWithoutTheirUnsetFields() throws Exception {
        NodeStatusEntry sparse = new NodeStatusEntry("node-1");
        sparse.setPhase(NodeTracePhase.Running);
        NodeStatusEntry full = new NodeStatusEntry("node-2");
        full.setPhase(NodeTracePhase.Succeeded);
        full.setReason("Completed");
        full.setMessage("traced \"3\" cgroups");
        full.setCgroupsMatched(3);
        full.setContainersUnresolved(0);
        full.setEvents(10L);
        full.setLostEvents(1L);
        full.setKernelNsPerEvent(123.5);
        full.setProgramRuns(99L);
        full.setHistograms(List.of(HistogramSummary.of(new Histogram("all", "usecs", new long[]{1, 2, 0, 4, 0}))));
        full.setCounts(List.of(new CountSummary("read", 5, 9L, null), new CountSummary("write", null, null, 3L)));
        full.setStartedAt("2025-01-02T03:04:05.678Z");
        full.setFinishedAt("2025-01-02T03:04:06Z");
        Map<String, Object> body = Map.of("apiVersion", "kgadget.dev/v1alpha1", "kind", "TraceJob",
                "metadata", Map.of("name", "j", "namespace", "ns"), "status", Map.of("nodes", List.of(full, sparse)));

        assertThat(ModelJson.string(sparse)).isEqualTo(DATABIND.writeValueAsString(sparse));
        assertThat(ModelJson.string(full)).isEqualTo(DATABIND.writeValueAsString(full));
        assertThat(new String(ModelJson.bytes(body), StandardCharsets.UTF_8))
                .isEqualTo(DATABIND.writeValueAsString(body));
    }

    @Test
    void aTypeWithoutAJsonFormIsRefusedByName() {
        assertThatThrownBy(() -> ModelJson.string(List.of(new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no JSON form for java.lang.Object");
    }

    @Test
    void anAnswerIsReadIntoMapsListsAndScalars() throws Exception {
        Object doc = JsonTree.parse(("{\"metadata\":{\"uid\":\"u-1\",\"generation\":3,"
                + "\"ownerReferences\":[{\"kind\":\"TraceJob\",\"uid\":\"u-\\\"2\\\"\"},{\"kind\":\"Pod\"}]},"
                + "\"big\":123456789012345678901234567890,\"f\":1.5,\"t\":true,\"n\":null,\"e\":[]}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(JsonTree.text(doc, "metadata", "uid")).isEqualTo("u-1");
        assertThat(JsonTree.at(doc, "metadata", "generation")).isEqualTo(3L);
        assertThat(JsonTree.list(doc, "metadata", "ownerReferences")).hasSize(2);
        assertThat(JsonTree.text(JsonTree.list(doc, "metadata", "ownerReferences").get(0), "uid")).isEqualTo("u-\"2\"");
        assertThat(JsonTree.at(doc, "big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(JsonTree.at(doc, "f")).isEqualTo(1.5);
        assertThat(JsonTree.at(doc, "t")).isEqualTo(true);
        assertThat(JsonTree.text(doc, "n")).isEmpty();
        assertThat(JsonTree.text(doc, "metadata")).isEmpty();
        assertThat(JsonTree.text(doc, "missing", "deeper")).isEmpty();
        assertThat(JsonTree.list(doc, "e")).isEmpty();
        assertThat(JsonTree.list(doc, "metadata", "uid")).isEmpty();
        assertThat(JsonTree.at(List.of(), "x")).isNull();
    }

    @Test
    void whatIsNotOneJsonValueIsRefused() {
        for (String bad : List.of("", "{\"a\":", "{} {}", "<html>", "{\"a\":1,}")) {
            assertThatThrownBy(() -> JsonTree.parse(bad.getBytes(StandardCharsets.UTF_8)))
                    .as(bad).isInstanceOf(java.io.IOException.class);
        }
    }
}
