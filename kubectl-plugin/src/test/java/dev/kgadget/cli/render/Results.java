package dev.kgadget.cli.render;

import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.Histogram;
import dev.kgadget.api.result.ProgramCost;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Fixed results for the golden tests. */
public final class Results {
    public static final Instant STARTED = Instant.parse("2024-05-01T10:15:30Z");

    private Results() {
    }

    public static GadgetResult histograms(Map<String, Object> params, List<Histogram> histograms, long lost,
                                          List<ProgramCost> programs) {
        return new GadgetResult("biolatency", params, STARTED, 10_000, "completed", OutputKind.HISTOGRAM,
                histograms, List.of(), List.of(), 0, lost, programs);
    }

    public static GadgetResult biolatency() {
        return histograms(Map.of("milliseconds", false, "per-disk", false, "queued", false),
                List.of(new Histogram("all", "usecs", new long[] {0, 0, 0, 1, 5, 20, 80, 120, 60, 10, 2})), 0,
                List.of(new ProgramCost("block_rq_issue", 200, 17_000, 0), new ProgramCost("block_rq_complete", 100, 8_500, 0)));
    }

    public static GadgetResult counts(Map<String, Object> params, List<CountRow> rows, List<ProgramCost> programs) {
        return new GadgetResult("syscount", params, STARTED, 10_000, "completed", OutputKind.COUNTS,
                List.of(), rows, List.of(), 0, 0, programs);
    }

    public static GadgetResult events(String gadget, List<EventRecord> events, long eventCount, long lost) {
        return new GadgetResult(gadget, Map.of(), STARTED, 10_000, "completed", OutputKind.EVENTS,
                List.of(), List.of(), events, eventCount, lost, List.of());
    }
}
