package dev.kgadget.api.crd;

/**
 * {@code status.nodes[].phase}: one node's part of a TraceJob. The constants are spelled as
 * they appear in the API, so {@link #name()} is the wire value.
 */
public enum NodeTracePhase {
    /** sent to the node's daemon, not yet attached. */
    Pending,
    /** attached and collecting. */
    Running,
    /** ran its duration (or was stopped) and reported. */
    Succeeded,
    /** could not run or broke off; reason and message say why. */
    Failed,
    /** the node did not report before the job's deadline. */
    TimedOut;

    public boolean isFinal() {
        return this != Pending && this != Running;
    }
}
