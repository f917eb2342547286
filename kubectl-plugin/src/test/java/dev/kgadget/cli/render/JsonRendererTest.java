package dev.kgadget.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.Histogram;
import dev.kgadget.api.result.ProgramCost;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class JsonRendererTest {
    private final JsonRenderer renderer = new JsonRenderer();

    private String render(Object value) {
        StringBuilder sb = new StringBuilder();
        renderer.render(value, sb);
        return sb.toString();
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void histogramResult() {
        GadgetResult result = new GadgetResult("biolatency",
                ordered("milliseconds", false, "per-disk", true, "queued", false),
                Instant.parse("2024-05-01T10:15:30.123Z"), 10_000, "completed", OutputKind.HISTOGRAM,
                List.of(new Histogram("vda", "usecs", new long[] {0, 0, 0, 0, 0, 0, 0, 12})), List.of(), List.of(),
                0, 0, List.of(new ProgramCost("block_rq_issue", 200, 17_000, 0), new ProgramCost("block_rq_complete", 0, 0, 0)));
        assertThat(render(result)).isEqualTo(Golden.read("json-histogram.txt"));
    }

    @Test
    void eventFieldsAreFlattenedAndTimesAreIso8601() {
        EventRecord event = new EventRecord(ordered("time", Instant.parse("2024-05-01T10:15:30.123456789Z"),
                "comm", "bash", "pid", 4242, "ppid", 4200L, "uid", 1000, "cgroupId", 8123L, "ret", 0,
                "args", List.of("/usr/bin/ls", "-la", "/tmp")));
        GadgetResult result = new GadgetResult("execsnoop", ordered("max-args", 20L, "failed-only", false),
                Results.STARTED, 3250, "cancelled", OutputKind.EVENTS, List.of(), List.of(), List.of(event), 2, 1,
                List.of());
        assertThat(render(result)).isEqualTo(Golden.read("json-events.txt"));
    }

    @Test
    void countRowsOmitWhatWasNotMeasured() {
        GadgetResult result = new GadgetResult("syscount", ordered("latency", true, "per-process", true, "top", 10L),
                Results.STARTED, 10_000, "completed", OutputKind.COUNTS, List.of(),
                List.of(new CountRow("nginx", 1234, 4, 1000L), new CountRow("read", null, 3, null)), List.of(), 0, 0,
                List.of());
        assertThat(render(result)).isEqualTo(Golden.read("json-counts.txt"));
    }

    @Test
    void theCatalogIsAnArrayOfDescriptors() throws Exception {
        JsonNode list = JsonRenderer.mapper().readTree(render(GadgetCatalog.all()));
        assertThat(list.isArray()).isTrue();
        assertThat(list).hasSize(GadgetCatalog.all().size());
        JsonNode syscount = list.get(GadgetCatalog.all().indexOf(GadgetCatalog.SYSCOUNT));
        assertThat(syscount.get("name").asText()).isEqualTo("syscount");
        assertThat(syscount.get("output").asText()).isEqualTo("COUNTS");
        assertThat(syscount.get("params").findValuesAsText("name")).contains("latency", "per-process", "top");
        assertThat(list.get(GadgetCatalog.all().indexOf(GadgetCatalog.EXECSNOOP)).get("columns").get(0).get("key")
                .asText()).isEqualTo("time");
    }
}
