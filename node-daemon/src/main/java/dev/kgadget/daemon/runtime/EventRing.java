package dev.kgadget.daemon.runtime;

import dev.kgadget.daemon.libbpf.LibC;
import dev.kgadget.daemon.libbpf.RingBuffer;
import dev.kgadget.daemon.libbpf.RingPoller;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The one BPF ring buffer every event gadget of a {@link GadgetRuntime} writes to, and the thread
 * that drains it, handing each record to its run by the tag the BPF side writes before it
 * ({@code struct kg_event_tag}: u32 run, u32 pad; see bpf/include/kgadget.bpf.h). One ring
 * rather than one per run: a daemon does not hold another ring's worth of memory (8 MiB) for
 * each event job it runs at once. Made for the first event run, freed after the last.
 *
 * <p>Records of a run that has ended (the tail of a detached program) are dropped.
 */
final class EventRing {
    static final int TAG_BYTES = 8;

    private final int ringBytes;
    /** Guards everything below; the drainer holds it for a pass, so a pass and a flush never interleave. */
    private final Object lock = new Object();
    private int fd = -1;
    private RingBuffer ring;
    private Thread drainer;
    private int nextRun = 1;
    /** The runs registered: replaced, never changed in place. */
    private Run[] runs = new Run[0];
    private final RingBuffer.RecordHandler dispatcher = this::dispatch; // one handler object for every pass

    EventRing(int ringBytes) {
        this.ringBytes = ringBytes;
    }

    /** One run's share of the ring: its tag, and where its records go. */
    final class Run implements AutoCloseable {
        final int id;
        private final RingBuffer.RecordHandler handler;
        private final Runnable afterBatch;
        private final Consumer<Throwable> onFailure;
        private boolean handed;
        private boolean failed;

        private Run(int id, RingBuffer.RecordHandler handler, Runnable afterBatch, Consumer<Throwable> onFailure) {
            this.id = id;
            this.handler = handler;
            this.afterBatch = afterBatch;
            this.onFailure = onFailure;
        }

        /** The ring's map fd, for the run's object to reuse before it loads. */
        int fd() {
            synchronized (lock) {
                return fd;
            }
        }

        /** Hands over every record now in the ring (the run's programs are detached: its last ones). */
        void flush() {
            synchronized (lock) {
                if (ring != null) {
                    drainLocked();
                }
                if (!failed) {
                    afterBatch.run();
                }
            }
        }

        @Override
        public void close() {
            unregister(this);
        }

        private void deliver(ByteBuffer data, int offset, int length) {
            if (failed) {
                return;
            }
            try {
                handler.onRecord(data, offset + TAG_BYTES, length - TAG_BYTES);
                handed = true;
            } catch (RuntimeException | Error e) {
                failed = true; // this run stops; the others go on
                onFailure.accept(e);
            }
        }

        private void endBatch() {
            if (handed && !failed) {
                handed = false;
                try {
                    afterBatch.run();
                } catch (RuntimeException | Error e) {
                    failed = true;
                    onFailure.accept(e);
                }
            }
        }
    }

    /**
     * A new run on the ring (made, and its drainer started, if this is the only one). The
     * handler and afterBatch are called on the drainer thread; a throw from either ends this
     * run's deliveries and is passed to onFailure.
     */
    Run register(RingBuffer.RecordHandler handler, Runnable afterBatch, Consumer<Throwable> onFailure) {
        synchronized (lock) {
            if (ring == null) {
                open();
            }
            Run run = new Run(nextRun++, handler, afterBatch, onFailure);
            runs = Arrays.copyOf(runs, runs.length + 1);
            runs[runs.length - 1] = run;
            return run;
        }
    }

    /**
     * Makes the ring now, before a run needs it: creating it costs the kernel's zeroing of every
     * page (~15 ms for the CLI's 32 MiB), which a CLI does while it still parses its command
     * line. The first run then finds it; it is freed after the last run, as always (and with
     * the process, if no run comes).
     */
    void prepare() {
        synchronized (lock) {
            if (ring == null) {
                open();
            }
        }
    }

    private void unregister(Run run) {
        synchronized (lock) {
            Run[] left = Arrays.stream(runs).filter(r -> r != run).toArray(Run[]::new);
            if (left.length == runs.length) {
                return;
            }
            runs = left;
            if (runs.length == 0) {
                closeLocked();
            }
        }
    }

    private void open() {
        int created = RingBuffer.create("kg_events", ringBytes);
        try {
            ring = RingBuffer.open(created, ringBytes);
        } catch (RuntimeException e) {
            LibC.INSTANCE.close(created);
            throw e;
        }
        fd = created;
        RingBuffer drained = ring;
        drainer = new Thread(() -> RingPoller.pollUntil(() -> drainOnce(drained), () -> isClosed(drained)), "kgadget-events");
        drainer.setDaemon(true);
        drainer.start();
    }

    /** One pass of the drainer over {@code drained}, unless that ring has been closed meanwhile. */
    private int drainOnce(RingBuffer drained) {
        synchronized (lock) {
            return ring == drained ? drainLocked() : 0;
        }
    }

    private boolean isClosed(RingBuffer drained) {
        synchronized (lock) {
            return ring != drained;
        }
    }

    private int drainLocked() {
        int handed = ring.drain(dispatcher);
        if (handed > 0) {
            for (Run r : runs) {
                r.endBatch();
            }
        }
        return handed;
    }

    private void dispatch(ByteBuffer data, int offset, int length) {
        if (length < TAG_BYTES) {
            return;
        }
        int id = data.getInt(offset);
        for (Run r : runs) {
            if (r.id == id) {
                r.deliver(data, offset, length);
                return;
            }
        }
    }

    private void closeLocked() {
        ring.close();
        ring = null;
        LibC.INSTANCE.close(fd);
        fd = -1;
        LockSupport.unpark(drainer); // it sees the ring gone and ends
        drainer = null;
    }
}
