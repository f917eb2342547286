package dev.kgadget.api.result;

import java.time.Instant;

/**
 * A time as the event path carries it: nanoseconds since the epoch in a long, so that an event's
 * time costs no Instant. Splitting it rounds toward the past, as Instant does, for times before 1970 too.
 */
public final class EpochNanos {
    public static final long PER_SECOND = 1_000_000_000L;

    private EpochNanos() {
    }

    public static long of(Instant t) {
        return t.getEpochSecond() * PER_SECOND + t.getNano();
    }

    public static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(second(epochNanos), nano(epochNanos));
    }

    /** The whole seconds since the epoch. */
    public static long second(long epochNanos) {
        return Math.floorDiv(epochNanos, PER_SECOND);
    }

    /** The nanoseconds within its second, 0 to 999,999,999. */
    public static int nano(long epochNanos) {
        return (int) Math.floorMod(epochNanos, PER_SECOND);
    }
}
