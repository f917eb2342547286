package dev.kgadget.cli;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Hands the CLI's exit code to a shutdown hook. After Ctrl-C the JVM is already shutting
 * down, so System.exit would block forever: the hook waits here until the CLI has printed
 * everything, then halts with the code the CLI chose (0 for a cancelled run, not 130).
 */
public final class ExitGate {
    private final CountDownLatch opened = new CountDownLatch(1);
    private volatile int code;

    public void open(int exitCode) {
        code = exitCode;
        opened.countDown();
    }

    /** The CLI's exit code, or empty if it did not finish in time. */
    OptionalInt await(Duration limit) throws InterruptedException {
        return opened.await(limit.toMillis(), TimeUnit.MILLISECONDS) ? OptionalInt.of(code) : OptionalInt.empty();
    }
}
