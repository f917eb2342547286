package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.daemon.libbpf.BpfObject;

import java.util.Map;
import java.util.Set;

/** Run-queue latency, attributed to the task that waits (the woken or preempted one). */
final class Runqlat implements Gadget {
    @Override
    public GadgetDescriptor descriptor() {
        return GadgetCatalog.RUNQLAT;
    }

    @Override
    public Set<String> unusedMaps(GadgetParams p) {
        return HistogramMaps.unusedMaps(p.bool("per-process"));
    }

    @Override
    public Map<String, Object> rodata(GadgetParams p) {
        return Map.of("targ_ms", p.bool("milliseconds"), "targ_per_process", p.bool("per-process"));
    }

    @Override
    public Collected collect(BpfObject object, GadgetParams p) {
        boolean perProcess = p.bool("per-process");
        return Collected.histograms(HistogramMaps.read(object, HistogramMaps.unit(p.bool("milliseconds")),
                (group, comm) -> perProcess ? (comm == null ? "?" : comm) + " [" + group + "]" : "all"));
    }
}
