package dev.kgadget.daemon.runtime;

import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.ProgramCost;
import dev.kgadget.daemon.DaemonThreads;
import dev.kgadget.daemon.gadgets.EventDecoder;
import dev.kgadget.daemon.gadgets.Gadget;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One attached gadget, running until its duration ends or it is cancelled; then it detaches,
 * collects and releases everything, whatever happened (on the runs' shared endings thread, or
 * in {@link #close()}). Its events come from
 * the runtime's {@link EventRing}, on that ring's drain thread.
 */
public final class GadgetRun implements AutoCloseable {
    private final GadgetRequest request;
    private final Gadget gadget;
    private final LoadedGadget loaded;
    private final EventSink sink;
    private final EventDecoder decoder;
    /** Every event of the run is decoded here, on the ring's drain thread (one at a time). */
    private final EventBuffer buffer = new EventBuffer();
    private final List<EventRecord> kept = new ArrayList<>();
    private final AtomicLong events = new AtomicLong();
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    /** Set by whichever thread ends the run: the timer, cancel(), or close(). */
    private final AtomicBoolean ending = new AtomicBoolean();
    private volatile ScheduledFuture<?> timer;
    private volatile boolean cancelled;
    /** What the ring's drain thread caught from this run's decoder or sink. */
    private volatile Throwable drainFailure;
    private volatile long endNanos;
    private GadgetResult result;
    private Throwable failure;
    /** Completed once everything is released and the result (or failure) is set. */
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    /** Before {@code loaded} is loaded: an event gadget joins {@code ring} here, so its object can use it. */
    GadgetRun(GadgetRequest request, Gadget gadget, LoadedGadget loaded, EventSink sink, EventRing ring) {
        this.request = request;
        this.gadget = gadget;
        this.loaded = loaded;
        this.sink = sink;
        this.decoder = gadget.eventDecoder(request.params());
        if (decoder != null) {
            loaded.joinRing(ring.register(this::onRecord, sink::endOfBatch, this::failedWhileDraining));
        }
    }

    /** Starts the clock: the run ends when its duration has passed, unless it is ended before. */
    void begin() {
        timer = ENDINGS.schedule(this::end, request.duration().toNanos() - (System.nanoTime() - startNanos),
                TimeUnit.NANOSECONDS);
        if (cancelled || drainFailure != null) {
            endNow();
        }
    }

    /** Ends the run at once on the endings thread, unless it is ending already. */
    private void endNow() {
        ScheduledFuture<?> t = timer;
        if (t != null && t.cancel(false)) {
            ENDINGS.execute(this::end);
        }
    }

    /**
     * Ends runs: one thread for every run of the process while there are runs, instead of one
     * parked thread per run for its whole duration (each held ~110-160 KiB in the daemon).
     */
    private static final ScheduledThreadPoolExecutor ENDINGS = DaemonThreads.idleScheduler("kgadget-run-end");

    private void end() {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        String stopReason = "completed";
        try {
            if (cancelled) {
                stopReason = "cancelled";
            }
            loaded.detach();
            if (loaded.ring() != null) {
                loaded.ring().flush();
            }
            if (drainFailure != null) {
                failure = drainFailure;
                return;
            }
            endNanos = System.nanoTime();
            List<ProgramCost> costs = loaded.costs();
            long lost = loaded.lost();
            Gadget.Collected collected = gadget.collect(loaded.object, request.params());
            GadgetDescriptor d = request.gadget();
            result = new GadgetResult(d.name(), request.params().asMap(), startedAt,
                    TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos), stopReason, d.output(),
                    collected.histograms(), collected.counts(), d.output() == OutputKind.EVENTS ? kept : List.of(),
                    events.get(), lost, costs);
        } catch (Throwable t) {
            failure = t;
        } finally {
            if (endNanos == 0) {
                endNanos = System.nanoTime();
            }
            try {
                loaded.close();
            } finally {
                ended.complete(null);
            }
        }
    }

    private void failedWhileDraining(Throwable t) {
        drainFailure = t;
        endNow();
    }

    private void onRecord(ByteBuffer data, int offset, int length) {
        events.incrementAndGet();
        boolean keep = kept.size() < request.maxKeptEvents();
        if (!keep && sink.skipUndecoded()) {
            return;
        }
        decoder.decode(data, offset, length, buffer.clear());
        if (keep) {
            kept.add(buffer.toRecord());
        }
        sink.onEvent(buffer);
    }

    /**
     * Blocks until the duration ends or the run is cancelled; everything is released before
     * it returns or throws.
     *
     * @throws GadgetException if collecting failed (an exception of the event sink is its cause)
     */
    public GadgetResult await() throws InterruptedException {
        try {
            ended.get();
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
        if (failure != null) {
            if (failure instanceof GadgetException g) {
                throw g;
            }
            throw new GadgetException("gadget " + request.gadget().name() + " failed while collecting: " + failure,
                    failure);
        }
        return result;
    }

    /**
     * Completes when the run has ended and released everything; what depends on it may run on
     * the thread that ended the run, and may call {@link #await()} (which then returns at once).
     */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** Ends the run early (Ctrl-C); await() then returns the partial result with stopReason "cancelled". */
    public void cancel() {
        cancelled = true;
        endNow();
    }

    /**
     * Replaces the traced cgroup set while the gadget runs (containers come and go).
     *
     * @throws IllegalStateException if the run has ended or was started without a cgroup filter
     */
    public void updateFilter(Set<Long> cgroupIds) {
        if (!request.filter().byCgroup()) {
            throw new IllegalStateException("this run traces every cgroup; it has no filter to update");
        }
        synchronized (loaded) {
            if (loaded.isClosed()) {
                throw new IllegalStateException("the run has ended");
            }
            loaded.filter().replace(cgroupIds);
        }
    }

    public long eventsSoFar() {
        return events.get();
    }

    public long lostSoFar() {
        return loaded.lost();
    }

    public Duration elapsed() {
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        return Duration.ofNanos(end - startNanos);
    }

    public Duration duration() {
        return request.duration();
    }

    public GadgetDescriptor gadget() {
        return request.gadget();
    }

    public boolean isDone() {
        return ended.isDone();
    }

    /** cancel() and wait for the release of every BPF object. */
    @Override
    public void close() {
        cancelled = true;
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
        end(); // here, unless another thread is ending it already: then wait for that
        ended.join(); // uninterruptibly: nothing may outlive close()
    }
}
