package dev.kgadget.cli.cluster;

/** The exit codes of {@code kubectl gadget}: a script can tell every outcome apart. */
public final class ExitCodes {
    /** the job Succeeded (or the command did what it was asked). */
    public static final int OK = 0;
    /** invalid input: rejected before anything was created, or by the API server (422), or no such job. */
    public static final int BAD_INPUT = 2;
    /** the cluster: unreachable, CRD not installed, forbidden, the job did not finish in time. */
    public static final int CLUSTER = 3;
    /** the job PartiallySucceeded: some nodes failed, the result merges the others. */
    public static final int PARTIAL = 4;
    /** the job Failed (each node's reason is printed). */
    public static final int FAILED = 5;
    /** interrupted (Ctrl-C) while waiting. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
