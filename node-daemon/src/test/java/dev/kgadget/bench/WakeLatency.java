package dev.kgadget.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.SynchronousQueue;

/**
 * How long a parked thread takes to run once another hands it work, after the machine sat idle
 * for a while: on a VM whose idle vCPUs halt, waking one costs milliseconds, and a gRPC call is
 * several such hand-offs (caller, its event loop, the server's event loop and executor, and
 * back). The daemon's attach figure is a call: printed with the machine, this is what it includes.
 */
final class WakeLatency {
    private WakeLatency() {
    }

    /** Median (min-max) microseconds for a hand-off after {@code idleMs} of nothing, over {@code n} tries. */
    static String after(long idleMs, int n) throws InterruptedException {
        List<Long> us = new ArrayList<>();
        SynchronousQueue<Long> in = new SynchronousQueue<>();
        SynchronousQueue<Long> out = new SynchronousQueue<>();
        Thread other = new Thread(() -> {
            try {
                while (true) {
                    long sent = in.take();
                    out.put(System.nanoTime() - sent);
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "wake-probe");
        other.setDaemon(true);
        other.start();
        try {
            for (int i = 0; i < n; i++) {
                Thread.sleep(idleMs);
                in.put(System.nanoTime());
                us.add(out.take() / 1000);
            }
        } finally {
            other.interrupt();
        }
        us.sort(null);
        return String.format(Locale.ROOT, "%.1f ms (%.1f-%.1f)", us.get(n / 2) / 1000.0, us.get(0) / 1000.0,
                us.get(n - 1) / 1000.0);
    }
}
