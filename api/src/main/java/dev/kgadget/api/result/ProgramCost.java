package dev.kgadget.api.result;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The in-kernel cost of one BPF program during a run, from the kernel's own accounting
 * (bpf_enable_stats(BPF_STATS_RUN_TIME)).
 */
public record ProgramCost(String program, long runCount, long runTimeNs) {
    @JsonProperty("nsPerRun")
    public double nsPerRun() {
        return runCount == 0 ? 0 : (double) runTimeNs / runCount;
    }

    /** Total over all programs of a gadget, per run of any of them. */
    public static ProgramCost total(Iterable<ProgramCost> costs) {
        long count = 0;
        long ns = 0;
        for (ProgramCost c : costs) {
            count += c.runCount;
            ns += c.runTimeNs;
        }
        return new ProgramCost("total", count, ns);
    }
}
