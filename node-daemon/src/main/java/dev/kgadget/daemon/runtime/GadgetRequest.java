package dev.kgadget.daemon.runtime;

import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;

import java.time.Duration;

/**
 * One gadget run to perform.
 *
 * @param maxKeptEvents events kept in the result for event gadgets (all are still passed to the
 *                      sink and counted); beyond it the result records how many were not kept
 * @param kernelCost    turn on the kernel's BPF run-time statistics for the run, so the result
 *                      has each program's in-kernel cost. They are off by default because they
 *                      cost too: two clock reads around every run of every BPF program on the
 *                      host (measured by bench/compare: syscount over getppid, about 25 ns a
 *                      syscall). Already on host-wide (sysctl kernel.bpf_stats_enabled=1), the
 *                      costs are reported either way.
 */
public record GadgetRequest(GadgetDescriptor gadget, GadgetParams params, Duration duration,
                            TargetFilter filter, int maxKeptEvents, boolean kernelCost) {
    public static final int DEFAULT_MAX_KEPT_EVENTS = 100_000;

    public GadgetRequest withMaxKeptEvents(int max) {
        return new GadgetRequest(gadget, params, duration, filter, max, kernelCost);
    }

    public GadgetRequest withKernelCost(boolean on) {
        return new GadgetRequest(gadget, params, duration, filter, maxKeptEvents, on);
    }
}
