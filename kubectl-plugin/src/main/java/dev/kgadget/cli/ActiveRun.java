package dev.kgadget.cli;

import dev.kgadget.api.result.GadgetResult;

import java.time.Duration;

/**
 * The slice of a running gadget the CLI drives. An interface rather than the runtime's
 * GadgetRun so the CLI's flow (streaming, Ctrl-C, rendering, exit codes) is testable without
 * a kernel.
 */
public interface ActiveRun extends AutoCloseable {
    GadgetResult await() throws InterruptedException;

    void cancel();

    Duration elapsed();

    Duration duration();

    long eventsSoFar();

    long lostSoFar();

    /** cancel() and wait until every BPF object is released. */
    @Override
    void close();
}
