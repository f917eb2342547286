package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.daemon.libbpf.BpfObject;
import dev.kgadget.daemon.stacks.StackCollector;

import java.util.Map;

/**
 * profile (CPU samples from a per-CPU perf clock) and offcputime (blocked time from
 * sched_switch): both count folded, symbolized stacks ({@link StackCollector}).
 */
final class Stacks implements Gadget {
    private final GadgetDescriptor descriptor;

    private Stacks(GadgetDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    static Stacks profile() {
        return new Stacks(GadgetCatalog.PROFILE);
    }

    static Stacks offcputime() {
        return new Stacks(GadgetCatalog.OFFCPUTIME);
    }

    private boolean offcpu() {
        return descriptor == GadgetCatalog.OFFCPUTIME;
    }

    @Override
    public GadgetDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public Map<String, Object> rodata(GadgetParams p) {
        boolean kernelOnly = p.bool("kernel-only");
        boolean userOnly = p.bool("user-only");
        if (kernelOnly && userOnly) {
            throw new InvalidParameterException("kernel-only and user-only exclude each other");
        }
        int stacks = kernelOnly ? 1 : userOnly ? 2 : 3;
        if (offcpu()) {
            return Map.of("targ_stacks", stacks, "min_block_ns", p.integer("min-us") * 1000L,
                    "targ_blocked_only", !p.bool("include-preempted"));
        }
        return Map.of("targ_stacks", stacks);
    }

    @Override
    public int sampleFrequency(GadgetParams params) {
        return offcpu() ? 0 : (int) params.integer("frequency");
    }

    @Override
    public Collected collect(BpfObject object, GadgetParams params) {
        return Collected.counts(StackCollector.collect(object, offcpu() ? 1000 : 1));
    }
}
