package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.result.EventBuffer;

import java.nio.ByteBuffer;

/**
 * Turns one ring buffer record into an event, written into {@code into} (cleared): reads only
 * absolute positions of {@code data}. Called for every event of a storm, so it allocates
 * nothing while the record's text repeats (see {@link RepeatedText}).
 */
@FunctionalInterface
public interface EventDecoder {
    void decode(ByteBuffer data, int offset, int length, EventBuffer into);
}
