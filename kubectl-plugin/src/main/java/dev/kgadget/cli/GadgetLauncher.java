package dev.kgadget.cli;

import dev.kgadget.daemon.runtime.EventSink;
import dev.kgadget.daemon.runtime.GadgetRequest;
import dev.kgadget.daemon.runtime.GadgetRuntime;

/** Starts a gadget; the real one loads it into this host's kernel. */
@FunctionalInterface
public interface GadgetLauncher {
    /** @throws dev.kgadget.daemon.runtime.GadgetException when the gadget cannot run here */
    ActiveRun start(GadgetRequest request, EventSink sink);

    static GadgetLauncher local() {
        return (request, sink) -> new LocalRun(new GadgetRuntime(RunCommand.RING_BYTES).start(request, sink));
    }
}
