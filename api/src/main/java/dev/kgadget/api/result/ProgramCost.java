package dev.kgadget.api.result;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The in-kernel cost of one BPF program during a run, from the kernel's own accounting
 * (bpf_enable_stats(BPF_STATS_RUN_TIME)).
 *
 * @param missedRuns times the kernel skipped the program because it was already running on
 *                   that CPU (an interrupt nested in it hit the same hook): those events are
 *                   not in the result, and are reported here instead of silently lost
 */
public record ProgramCost(String program, long runCount, long runTimeNs, long missedRuns) {
    @JsonProperty("nsPerRun")
    public double nsPerRun() {
        return runCount == 0 ? 0 : (double) runTimeNs / runCount;
    }

    /** Total over all programs of a gadget, per run of any of them. */
    public static ProgramCost total(Iterable<ProgramCost> costs) {
        long count = 0;
        long ns = 0;
        long missed = 0;
        for (ProgramCost c : costs) {
            count += c.runCount;
            ns += c.runTimeNs;
            missed += c.missedRuns;
        }
        return new ProgramCost("total", count, ns, missed);
    }
}
