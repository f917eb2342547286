package dev.kgadget.daemon.libbpf;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Drains a ring buffer on a timer instead of on kernel wakeups: the BPF side submits with
 * BPF_RB_NO_WAKEUP, so producing an event costs no irq_work, and the consumer takes what
 * accumulated in one pass. Idle waits grow from 1 ms to 8 ms and reset as soon as data flows;
 * 8 ms of the fastest producer measured (opensnoop, 1.6 M events/s) fits the 8 MiB ring
 * several times over; a 4 MiB ring lost events in that storm.
 */
public final class RingPoller {
    private static final long MIN_IDLE_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_IDLE_NS = TimeUnit.MILLISECONDS.toNanos(8);

    private RingPoller() {
    }

    /**
     * Runs drain passes until {@code stop} says so, waiting between passes that handed nothing
     * over; {@code pass} returns the records it handed over. Unpark the calling thread to make it
     * notice {@code stop} at once.
     */
    public static void pollUntil(IntSupplier pass, BooleanSupplier stop) {
        long idle = MIN_IDLE_NS;
        while (!stop.getAsBoolean()) {
            if (pass.getAsInt() > 0) {
                idle = MIN_IDLE_NS;
                continue;
            }
            LockSupport.parkNanos(idle);
            idle = Math.min(idle * 2, MAX_IDLE_NS);
        }
    }
}
