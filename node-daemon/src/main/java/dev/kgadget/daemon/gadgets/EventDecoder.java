package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.result.EventRecord;

import java.nio.ByteBuffer;

/** Turns one ring buffer record into an event; reads only absolute positions of {@code data}. */
@FunctionalInterface
public interface EventDecoder {
    EventRecord decode(ByteBuffer data, int offset, int length);
}
