package dev.kgadget.daemon.runtime;

import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;

import java.time.Duration;

/**
 * One gadget run to perform.
 *
 * @param maxKeptEvents events kept in the result for event gadgets (all are still passed to the
 *                      sink and counted); beyond it the result records how many were not kept
 */
public record GadgetRequest(GadgetDescriptor gadget, GadgetParams params, Duration duration,
                            TargetFilter filter, int maxKeptEvents) {
    public static final int DEFAULT_MAX_KEPT_EVENTS = 100_000;
}
