package dev.kgadget.api.catalog;

/** What a gadget produces, which decides how it is collected, merged and rendered. */
public enum OutputKind {
    /** log2 latency histograms, optionally one per group (disk, process). */
    HISTOGRAM,
    /** one typed row per kernel event, streamed as it happens. */
    EVENTS,
    /** counters keyed by name (and optionally process), shown as a sorted top-N table. */
    COUNTS,
    /** counters keyed by a folded stack ({@code comm;outer;...;inner}): folded text and flame graphs. */
    STACKS
}
