package dev.kgadget.api.crd;

/**
 * {@code status.phase} of a TraceJob. The constants are spelled as they appear in the API
 * (Kubernetes style), so {@link #name()} is the wire value.
 */
public enum TraceJobPhase {
    /** accepted, not yet running on every node. */
    Pending,
    /** tracing on at least one node. */
    Running,
    /** every node finished and reported. */
    Succeeded,
    /** some nodes finished, others failed or timed out; the result merges the ones that finished. */
    PartiallySucceeded,
    /** no node produced a result, or the job was invalid. */
    Failed;

    public boolean isFinal() {
        return this == Succeeded || this == PartiallySucceeded || this == Failed;
    }
}
