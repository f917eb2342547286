package dev.kgadget.cli;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.daemon.runtime.Preflight;

/**
 * A local run's first native steps, started on another thread while picocli is still parsing
 * the command line, so they are done by the time the gadget loads: loading libbpf through JNA
 * (tens of ms of class loading and linking) and, for an event gadget, creating the event ring
 * (~15 ms of the kernel zeroing it). Failures are left for the run itself to report.
 */
final class NativeWarmup {
    private NativeWarmup() {
    }

    /** @param gadget the gadget the command line names, if it names one */
    static void start(String gadget) {
        Thread t = new Thread(() -> load(gadget), "kgadget-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void load(String gadget) {
        try {
            Preflight.checkLibbpf();
            boolean events = gadget != null && GadgetCatalog.find(gadget)
                    .filter(d -> d.output() == OutputKind.EVENTS).isPresent();
            if (events) {
                LocalRun.RUNTIME.prepareEvents();
            }
        } catch (RuntimeException | LinkageError e) {
            // the run's own preflight says what is wrong, in its words
        }
    }
}
