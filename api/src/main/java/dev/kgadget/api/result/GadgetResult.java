package dev.kgadget.api.result;

import dev.kgadget.api.catalog.OutputKind;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one gadget run produced. The JSON form of this record is the stable output
 * contract of {@code -o json}: fields may be added, never renamed.
 *
 * @param events      event gadgets: the events kept (may be fewer than {@code eventCount})
 * @param eventCount  events received from the kernel
 * @param lostEvents  events the kernel could not hand over (ring buffer full)
 * @param stopReason  why the run ended: completed, cancelled
 */
public record GadgetResult(
        String gadget,
        Map<String, Object> params,
        Instant startedAt,
        long durationMs,
        String stopReason,
        OutputKind kind,
        List<Histogram> histograms,
        List<CountRow> counts,
        List<EventRecord> events,
        long eventCount,
        long lostEvents,
        List<ProgramCost> programs) {

    public GadgetResult {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        histograms = List.copyOf(histograms);
        counts = List.copyOf(counts);
        events = List.copyOf(events);
        programs = List.copyOf(programs);
    }

    /** The same result with other events kept (e.g. the same ones with more fields). */
    public GadgetResult withEvents(List<EventRecord> replaced) {
        return new GadgetResult(gadget, params, startedAt, durationMs, stopReason, kind, histograms, counts, replaced,
                eventCount, lostEvents, programs);
    }

    /** Kernel ns per program run over the whole gadget: what tracing cost the traced box. */
    @JsonProperty("kernelNsPerEvent")
    public double kernelNsPerEvent() {
        return ProgramCost.total(programs).nsPerRun();
    }
}
