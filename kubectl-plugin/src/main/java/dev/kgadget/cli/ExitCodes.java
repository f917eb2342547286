package dev.kgadget.cli;

/** The exit codes of {@code kgadget} and {@code kubectl gadget}: a script can tell every outcome apart. */
public final class ExitCodes {
    /** the job Succeeded (or the command did what it was asked). */
    public static final int OK = 0;
    /** invalid input: rejected before anything was created, or by the API server (422), or no such job. */
    public static final int BAD_INPUT = 2;
    /**
     * it cannot run here: locally (not root, no BTF, a hook missing, the kernel refused) or in the
     * cluster (unreachable, CRD not installed, forbidden, the job did not finish in time).
     */
    public static final int CANNOT_RUN = 3;
    /** the job PartiallySucceeded: some nodes failed, the result merges the others. */
    public static final int PARTIAL = 4;
    /** the job Failed (each node's reason is printed). */
    public static final int FAILED = 5;
    /** interrupted (Ctrl-C) while waiting. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
