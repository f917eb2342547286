package dev.kgadget.api.crd;

/** What a schedule does when a run is due while the previous one still runs (as CronJob's). */
public enum ConcurrencyPolicy {
    /** Skip the new run (counted in status.skippedRuns). */
    Forbid,
    /** Delete the running one and start the new run. */
    Replace
}
