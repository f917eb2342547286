package dev.kgadget.cli;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.function.IntConsumer;

/**
 * Ctrl-C (SIGINT, SIGTERM) ends a run early instead of killing it: the shutdown hook cancels
 * the run, then holds the JVM until the CLI has printed the partial result and released the
 * BPF objects.
 */
final class CancelOnInterrupt implements AutoCloseable {
    /** Long enough to detach and print; short enough that a wedged kernel call cannot keep us alive. */
    static final Duration CLEANUP_LIMIT = Duration.ofSeconds(30);
    static final int INTERRUPTED = 130;

    private final Thread hook;

    private CancelOnInterrupt(Thread hook) {
        this.hook = hook;
    }

    static CancelOnInterrupt install(ActiveRun run, ExitGate gate) {
        Runtime jvm = Runtime.getRuntime();
        Thread hook = new Thread(() -> onShutdown(run, gate, CLEANUP_LIMIT, jvm::halt), "kgadget-cancel");
        jvm.addShutdownHook(hook);
        return new CancelOnInterrupt(hook);
    }

    static void onShutdown(ActiveRun run, ExitGate gate, Duration limit, IntConsumer halt) {
        run.cancel();
        OptionalInt code;
        try {
            code = gate.await(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = OptionalInt.empty();
        }
        halt.accept(code.orElse(INTERRUPTED));
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running: it ends the JVM once the exit gate opens
        }
    }
}
