package dev.kgadget.daemon.server;

import dev.kgadget.api.grpc.TraceEvent;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.daemon.jobs.CgroupOwners;
import dev.kgadget.daemon.jobs.JobFollower;
import dev.kgadget.daemon.status.ResultJson;

import io.grpc.stub.ServerCallStreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * One FollowEvents stream: the job's events as they are drained from the ring buffer, sent to a
 * gRPC client at the pace the client reads.
 *
 * <p>Flow control: {@link #onEvent} runs on the gadget's drain thread and only enqueues (it must
 * never block the kernel reader). The queue is bounded ({@link #capacity}); the sending side
 * writes only while the call {@link ServerCallStreamObserver#isReady() is ready} (the transport's
 * buffer below its threshold) and resumes from the call's on-ready callback. An event that finds
 * the queue full is dropped and counted: the client sees a gap in {@code seq} (every event gets
 * its number whether sent or dropped), so memory stays bounded however slow the client is.
 *
 * <p>When the job ends NodeJobs calls {@link #close()}: what is queued is still sent, then the
 * stream completes; a client that does not read for {@link #END_GRACE} after that loses the rest
 * (counted) and the stream completes anyway.
 */
final class EventFollower implements JobFollower {
    private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);

    static final int DEFAULT_CAPACITY = 8192;
    static final Duration END_GRACE = Duration.ofSeconds(10);

    private final String jobUid;
    private final String node;
    private final ServerCallStreamObserver<TraceEvent> out;
    private final Executor sender;
    private final ScheduledExecutorService timer;
    private final LongFunction<CgroupOwners.Owner> podOfCgroup;
    private final Runnable onDone;
    private final int capacity;
    private final BlockingQueue<Pending> queue;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean ended;
    private volatile boolean cancelled;
    /** Guarded by this: the stream has been completed or failed. */
    private boolean done;

    private record Pending(long seq, EventRecord event) {
    }

    /**
     * @param podOfCgroup the pod of a cgroup id, or null when unknown
     * @param onDone      called once when the stream is over (completed, or cancelled by the client)
     */
    EventFollower(String jobUid, String node, ServerCallStreamObserver<TraceEvent> out, Executor sender,
                  ScheduledExecutorService timer, LongFunction<CgroupOwners.Owner> podOfCgroup, Runnable onDone, int capacity) {
        this.jobUid = jobUid;
        this.node = node;
        this.out = out;
        this.sender = sender;
        this.timer = timer;
        this.podOfCgroup = podOfCgroup;
        this.onDone = onDone;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
        out.setOnReadyHandler(this::scheduleDrain);
        out.setOnCancelHandler(this::onCancelled);
    }

    @Override
    public void onEvent(EventRecord event) {
        if (ended || cancelled) {
            return;
        }
        long s = seq.incrementAndGet();
        if (queue.offer(new Pending(s, event))) {
            scheduleDrain();
        } else {
            dropped.incrementAndGet();
        }
    }

    /** The numbers of events the job had before this follower joined and that are not replayed: a gap in seq. */
    @Override
    public void skipped(long events) {
        seq.addAndGet(events);
    }

    /** The job ended: send what is queued, then complete the stream. Idempotent. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        ended = true;
        scheduleDrain();
        try {
            timer.schedule(this::giveUp, END_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            giveUp();
        }
    }

    long dropped() {
        return dropped.get();
    }

    int capacity() {
        return capacity;
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                sender.execute(this::drain);
            } catch (RejectedExecutionException e) { // shutting down
                drainScheduled.set(false);
                giveUp();
            }
        }
    }

    /** Sends while the client keeps up; one drain at a time (the observer is not thread-safe). */
    private void drain() {
        drainScheduled.set(false);
        synchronized (this) {
            if (done) {
                return;
            }
            if (cancelled) {
                queue.clear();
                return;
            }
            try {
                while (out.isReady()) {
                    Pending p = queue.poll();
                    if (p == null) {
                        break;
                    }
                    out.onNext(toEvent(p));
                }
                if (ended && queue.isEmpty()) {
                    finish();
                }
            } catch (RuntimeException e) { // the call was cancelled or closed meanwhile
                LOG.debug("follower of job {} broke off: {}", jobUid, e.toString());
                onCancelled();
            }
        }
    }

    /** The job has ended and the client did not take the rest in time: count it as dropped and complete. */
    private void giveUp() {
        synchronized (this) {
            if (done || cancelled) {
                return;
            }
            int left = queue.size();
            queue.clear();
            dropped.addAndGet(left);
            try {
                finish();
            } catch (RuntimeException e) {
                onCancelled();
            }
        }
    }

    /** Guarded by this. */
    private void finish() {
        done = true;
        if (dropped.get() > 0) {
            LOG.info("follower of job {} dropped {} of {} events (the client read too slowly)", jobUid,
                    dropped.get(), seq.get());
        }
        out.onCompleted();
        onDone.run();
    }

    private void onCancelled() {
        boolean first;
        synchronized (this) {
            first = !done;
            done = true;
            cancelled = true;
            queue.clear();
        }
        if (first) {
            onDone.run();
        }
    }

    private TraceEvent toEvent(Pending p) {
        TraceEvent.Builder b = TraceEvent.newBuilder().setJobUid(jobUid).setNode(node).setSeq(p.seq())
                .setJsonFields(ResultJson.event(p.event()));
        if (p.event().get("cgroupId") instanceof Number id) {
            CgroupOwners.Owner pod = podOfCgroup.apply(id.longValue());
            if (pod != null) {
                b.setNamespace(nz(pod.namespace())).setPod(nz(pod.pod())).setContainer(nz(pod.container()));
            }
        }
        return b.build();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
