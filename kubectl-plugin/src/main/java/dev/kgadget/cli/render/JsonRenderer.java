package dev.kgadget.cli.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code -o json}: one indented JSON document per command, for scripts and jq.
 *
 * <p>Stable field names of a run (GadgetResult) — fields may be added, never renamed:
 * <pre>
 * gadget, params{name: value}, startedAt (ISO-8601 UTC), durationMs, stopReason (completed|cancelled),
 * kind (HISTOGRAM|EVENTS|COUNTS),
 * histograms[{label, unit (usecs|msecs|nsecs), buckets[] (log2, bcc convention), count, p50, p90, p99}],
 * counts[{name, pid?, count, totalNs?, avgNs?}],
 * events[{one field per column key of the gadget; times ISO-8601}],
 * eventCount, lostEvents, programs[{program, runCount, runTimeNs, nsPerRun}], kernelNsPerEvent
 * </pre>
 * and of {@code list}: an array of {name, description, symptom, output, params[{name, type,
 * defaultValue, description, min, max}], columns[{key, header, width, right}]}.
 */
public final class JsonRenderer {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    // jq's layout ("key": value, [] and {} when empty), with "\n" rather than the platform's
    // line separator: the same bytes everywhere
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("").withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public String toJson(Object value) {
        try {
            return MAPPER.writer(PRETTY).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public void render(Object value, Appendable out) {
        String json = toJson(value);
        try {
            out.append(json).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
