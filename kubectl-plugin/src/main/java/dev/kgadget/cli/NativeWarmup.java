package dev.kgadget.cli;

import dev.kgadget.daemon.runtime.Preflight;

/**
 * A local run's first native step, loading libbpf through JNA (tens of ms of class loading and
 * linking), started on another thread while picocli is still parsing the command line, so it
 * is done by the time the gadget loads. Failures are left for the run itself to report.
 */
final class NativeWarmup {
    private NativeWarmup() {
    }

    static void start() {
        Thread t = new Thread(NativeWarmup::load, "kgadget-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void load() {
        try {
            Preflight.checkLibbpf();
        } catch (RuntimeException | LinkageError e) {
            // the run's own preflight says what is wrong, in its words
        }
    }
}
