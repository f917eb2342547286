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
 * @param ringBytes     the event gadgets' ring buffer (a power of two): what it holds is the burst
 *                      a consumer falling behind can take before the kernel counts events as lost.
 *                      Its pages count in the consumer's resident set once an event storm has
 *                      passed through them.
 */
public record GadgetRequest(GadgetDescriptor gadget, GadgetParams params, Duration duration,
                            TargetFilter filter, int maxKeptEvents, boolean kernelCost, int ringBytes) {
    public static final int DEFAULT_MAX_KEPT_EVENTS = 100_000;
    /**
     * The daemon's ring, kept small for its memory: its consumer only counts most events, and
     * keeps up with the fastest producer measured (opensnoop, 1.6 M events/s) without losses.
     * A 4 MiB ring lost events in that storm (bench/compare).
     */
    public static final int DEFAULT_RING_BYTES = 8 << 20;

    public GadgetRequest {
        if (ringBytes < 4096 || Integer.bitCount(ringBytes) != 1) {
            throw new IllegalArgumentException("ring buffer size " + ringBytes + " is not a power of two of at least 4096");
        }
    }

    public GadgetRequest(GadgetDescriptor gadget, GadgetParams params, Duration duration, TargetFilter filter,
                         int maxKeptEvents, boolean kernelCost) {
        this(gadget, params, duration, filter, maxKeptEvents, kernelCost, DEFAULT_RING_BYTES);
    }

    public GadgetRequest withMaxKeptEvents(int max) {
        return new GadgetRequest(gadget, params, duration, filter, max, kernelCost, ringBytes);
    }

    public GadgetRequest withKernelCost(boolean on) {
        return new GadgetRequest(gadget, params, duration, filter, maxKeptEvents, on, ringBytes);
    }

    public GadgetRequest withRingBytes(int bytes) {
        return new GadgetRequest(gadget, params, duration, filter, maxKeptEvents, kernelCost, bytes);
    }
}
