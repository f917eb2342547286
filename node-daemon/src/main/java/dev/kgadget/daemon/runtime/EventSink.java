package dev.kgadget.daemon.runtime;

import dev.kgadget.api.result.EventBuffer;

/**
 * Receives events of event gadgets as they are drained from the ring buffer, on the runtime's
 * drain thread: keep it quick. An exception thrown here stops the run (and is rethrown from
 * {@link GadgetRun#await()}) after everything is released.
 */
@FunctionalInterface
public interface EventSink {
    EventSink DISCARD = new EventSink() {
        @Override
        public void onEvent(EventBuffer event) {
        }

        @Override
        public boolean skipUndecoded() {
            return true;
        }
    };

    /**
     * One event, in the run's buffer: it is valid only during this call (the next event is
     * decoded into it), so a sink that keeps the event keeps {@link EventBuffer#toRecord()}.
     */
    void onEvent(EventBuffer event);

    /**
     * Offered an event before it is decoded, when the run keeps no more events itself: true
     * when this sink does not need it either (it is then only counted, here and by the run).
     * Decoding is most of the per-event cost in user space. One call per event, so a sink
     * decides and counts under one lock.
     */
    default boolean skipUndecoded() {
        return false;
    }

    /**
     * The end of one drain pass that handed over events (every 1–8 ms while they flow, and
     * once at the end of the run): a sink that writes output flushes here, once per batch
     * instead of once per event.
     */
    default void endOfBatch() {
    }
}
