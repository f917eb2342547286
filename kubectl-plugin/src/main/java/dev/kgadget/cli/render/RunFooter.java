package dev.kgadget.cli.render;

import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.ProgramCost;

/** The tail every summary line ends with: what the kernel could not hand over, and what tracing cost it. */
public final class RunFooter {
    private RunFooter() {
    }

    /**
     * e.g. {@code lost 0  kernel 85 ns/event}; "-" when the kernel kept no run-time statistics;
     * {@code  missed N} only when the kernel skipped program runs (nested on one CPU).
     */
    public static String of(GadgetResult result) {
        ProgramCost total = ProgramCost.total(result.programs());
        String kernel = total.runCount() == 0 ? "-" : Long.toString(Math.round(total.nsPerRun()));
        String missed = total.missedRuns() == 0 ? "" : "  missed " + total.missedRuns();
        return "lost " + result.lostEvents() + missed + "  kernel " + kernel + " ns/event";
    }
}
