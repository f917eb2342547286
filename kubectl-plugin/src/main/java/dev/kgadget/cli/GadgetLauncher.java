package dev.kgadget.cli;

import dev.kgadget.daemon.runtime.EventSink;
import dev.kgadget.daemon.runtime.GadgetRequest;

/** Starts a gadget; the real one loads it into this host's kernel. */
@FunctionalInterface
public interface GadgetLauncher {
    /** @throws dev.kgadget.daemon.runtime.GadgetException when the gadget cannot run here */
    ActiveRun start(GadgetRequest request, EventSink sink);

    static GadgetLauncher local() {
        return (request, sink) -> new LocalRun(LocalRun.RUNTIME.start(request, sink));
    }
}
