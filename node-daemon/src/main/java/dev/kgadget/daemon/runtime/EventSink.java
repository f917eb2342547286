package dev.kgadget.daemon.runtime;

import dev.kgadget.api.result.EventRecord;

/**
 * Receives events of event gadgets as they are drained from the ring buffer, on the runtime's
 * drain thread: keep it quick. An exception thrown here stops the run (and is rethrown from
 * {@link GadgetRun#await()}) after everything is released.
 */
@FunctionalInterface
public interface EventSink {
    EventSink DISCARD = new EventSink() {
        @Override
        public void onEvent(EventRecord event) {
        }

        @Override
        public boolean wantsEvents() {
            return false;
        }
    };

    void onEvent(EventRecord event);

    /**
     * Whether the next event must be decoded for this sink. When neither the sink nor the run's
     * kept events need it, the record is only counted ({@link #onUndecoded()}): decoding is
     * most of the per-event cost in user space.
     */
    default boolean wantsEvents() {
        return true;
    }

    /** An event that was counted but not decoded (nobody wanted it). */
    default void onUndecoded() {
    }
}
