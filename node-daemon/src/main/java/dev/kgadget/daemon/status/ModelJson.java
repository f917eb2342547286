package dev.kgadget.daemon.status;

import dev.kgadget.api.crd.CountSummary;
import dev.kgadget.api.crd.HistogramSummary;
import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.Histogram;
import dev.kgadget.api.result.ProgramCost;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * The daemon's JSON output, written with jackson-core's streaming generator: the result model
 * ({@link GadgetResult} and its parts, events), status entries, and the maps and lists of the
 * API bodies around them.
 *
 * <p>The JSON form of these types is the one Jackson's databind gives their annotations, which
 * is what the CLI ({@code -o json}) and the operator read and write. The daemon does not use
 * databind: its ~550 classes, their reflection and caches cost the daemon 6 MiB of its resident
 * set with five gadgets (docs/benchmarks.md). So the same fields are written here, in the same
 * order, and ModelJsonTest holds this writer to databind's bytes for every type.
 */
public final class ModelJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private ModelJson() {
    }

    /** {@code value} as compact JSON text. */
    public static String string(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** {@code value} as compact JSON in UTF-8. */
    public static byte[] bytes(Object value) {
        return bytes(g -> write(g, value));
    }

    /** What {@code body} writes to a generator, as UTF-8 bytes. */
    static byte[] bytes(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            body.writeTo(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    interface Body {
        void writeTo(JsonGenerator g) throws IOException;
    }

    /**
     * Writes one value: null, text, a boolean, a number, an instant (ISO-8601), an enum (its
     * name), a map (string keys), an iterable, a long array, or one of the model's types.
     *
     * @throws IllegalArgumentException for any other type: a caller's bug, found by the tests
     */
    public static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof CharSequence s) {
            g.writeString(s.toString());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Float f) {
            g.writeNumber(f);
        } else if (v instanceof BigInteger n) {
            g.writeNumber(n);
        } else if (v instanceof BigDecimal n) {
            g.writeNumber(n);
        } else if (v instanceof Instant t) {
            g.writeString(t.toString());
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (v instanceof EventRecord e) {
            write(g, e.fields());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list && list instanceof RandomAccess) {
            // by index: an iterator per list would be garbage for every execsnoop event a follower gets
            g.writeStartArray();
            for (int i = 0; i < list.size(); i++) {
                write(g, list.get(i));
            }
            g.writeEndArray();
        } else if (v instanceof Iterable<?> items) {
            g.writeStartArray();
            for (Object item : items) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof long[] a) {
            g.writeArray(a, 0, a.length);
        } else if (v instanceof GadgetResult r) {
            g.writeStartObject();
            resultFields(g, r);
            g.writeEndObject();
        } else if (v instanceof Histogram h) {
            histogram(g, h);
        } else if (v instanceof CountRow c) {
            countRow(g, c);
        } else if (v instanceof ProgramCost p) {
            programCost(g, p);
        } else if (v instanceof NodeStatusEntry e) {
            statusEntry(g, e);
        } else if (v instanceof HistogramSummary h) {
            histogramSummary(g, h);
        } else if (v instanceof CountSummary c) {
            countSummary(g, c);
        } else {
            throw new IllegalArgumentException("no JSON form for " + v.getClass().getName());
        }
    }

    /** A result's fields, inside an object the caller opened (it may add fields of its own). */
    static void resultFields(JsonGenerator g, GadgetResult r) throws IOException {
        field(g, "gadget", r.gadget());
        field(g, "params", r.params());
        field(g, "startedAt", r.startedAt());
        g.writeNumberField("durationMs", r.durationMs());
        field(g, "stopReason", r.stopReason());
        field(g, "kind", r.kind());
        field(g, "histograms", r.histograms());
        field(g, "counts", r.counts());
        field(g, "events", r.events());
        g.writeNumberField("eventCount", r.eventCount());
        g.writeNumberField("lostEvents", r.lostEvents());
        field(g, "programs", r.programs());
        g.writeNumberField("kernelNsPerEvent", r.kernelNsPerEvent());
    }

    private static void histogram(JsonGenerator g, Histogram h) throws IOException {
        objectOf(g, false, "label", h.label(), "unit", h.unit(), "buckets", h.buckets(), "count", h.count(),
                "p50", h.p50(), "p90", h.p90(), "p99", h.p99());
    }

    private static void countRow(JsonGenerator g, CountRow c) throws IOException {
        objectOf(g, true, "name", c.name(), "pid", c.pid(), "count", c.count(), "totalNs", c.totalNs(),
                "avgNs", c.avgNs());
    }

    private static void programCost(JsonGenerator g, ProgramCost p) throws IOException {
        objectOf(g, false, "program", p.program(), "runCount", p.runCount(), "runTimeNs", p.runTimeNs(),
                "missedRuns", p.missedRuns(), "nsPerRun", p.nsPerRun());
    }

    private static void statusEntry(JsonGenerator g, NodeStatusEntry e) throws IOException {
        objectOf(g, true, "node", e.getNode(), "phase", e.getPhase(), "reason", e.getReason(),
                "message", e.getMessage(), "cgroupsMatched", e.getCgroupsMatched(),
                "containersUnresolved", e.getContainersUnresolved(), "events", e.getEvents(),
                "lostEvents", e.getLostEvents(), "kernelNsPerEvent", e.getKernelNsPerEvent(),
                "programRuns", e.getProgramRuns(), "histograms", e.getHistograms(), "counts", e.getCounts(),
                "startedAt", e.getStartedAt(), "finishedAt", e.getFinishedAt());
    }

    private static void histogramSummary(JsonGenerator g, HistogramSummary h) throws IOException {
        objectOf(g, true, "label", h.getLabel(), "unit", h.getUnit(), "buckets", h.getBuckets(),
                "count", h.getCount(), "p50", h.getP50(), "p90", h.getP90(), "p99", h.getP99());
    }

    private static void countSummary(JsonGenerator g, CountSummary c) throws IOException {
        objectOf(g, true, "name", c.getName(), "pid", c.getPid(), "count", c.getCount(), "totalNs", c.getTotalNs());
    }

    /**
     * An object from its field names and values in turn.
     *
     * @param nonNull leave out the null fields, as databind does for a type marked
     *                {@code @JsonInclude(NON_NULL)}
     */
    private static void objectOf(JsonGenerator g, boolean nonNull, Object... namesAndValues) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!nonNull || namesAndValues[i + 1] != null) {
                field(g, (String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        g.writeEndObject();
    }

    private static void field(JsonGenerator g, String name, Object value) throws IOException {
        g.writeFieldName(name);
        write(g, value);
    }
}
