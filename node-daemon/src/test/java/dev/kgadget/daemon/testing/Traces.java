package dev.kgadget.daemon.testing;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.daemon.runtime.GadgetRequest;
import dev.kgadget.daemon.runtime.GadgetRun;
import dev.kgadget.daemon.runtime.GadgetRuntime;
import dev.kgadget.daemon.runtime.TargetFilter;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs a gadget around a workload: attach, run the workload to completion, stop, collect. */
public final class Traces {
    private Traces() {
    }

    public record Traced(GadgetResult result, List<EventRecord> streamed) {
    }

    public static GadgetRun start(String gadget, Map<String, String> params, TargetFilter filter,
                                  List<EventRecord> sink) {
        var d = GadgetCatalog.require(gadget);
        return new GadgetRuntime().start(new GadgetRequest(d, GadgetParams.of(d, params), Duration.ofMinutes(5),
                filter, GadgetRequest.DEFAULT_MAX_KEPT_EVENTS, true), e -> sink.add(e.toRecord()));
    }

    public static Traced around(String gadget, Map<String, String> params, TargetFilter filter, Runnable workload) {
        List<EventRecord> streamed = new CopyOnWriteArrayList<>();
        GadgetRun run = start(gadget, params, filter, streamed);
        try {
            workload.run();
            run.cancel();
            return new Traced(run.await(), streamed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            run.close();
        }
    }
}
