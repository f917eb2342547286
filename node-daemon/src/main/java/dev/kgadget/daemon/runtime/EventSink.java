package dev.kgadget.daemon.runtime;

import dev.kgadget.api.result.EventRecord;

/**
 * Receives events of event gadgets as they are drained from the ring buffer, on the runtime's
 * drain thread: keep it quick. An exception thrown here stops the run (and is rethrown from
 * {@link GadgetRun#await()}) after everything is released.
 */
@FunctionalInterface
public interface EventSink {
    EventSink DISCARD = e -> { };

    void onEvent(EventRecord event);
}
