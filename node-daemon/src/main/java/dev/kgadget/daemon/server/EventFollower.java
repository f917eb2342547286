package dev.kgadget.daemon.server;

import dev.kgadget.api.grpc.EventBatch;
import dev.kgadget.api.grpc.EventPod;
import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.daemon.jobs.CgroupOwners;
import dev.kgadget.daemon.jobs.JobFollower;
import dev.kgadget.daemon.status.EventJsonWriter;

import io.grpc.stub.ServerCallStreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.ByteString;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * One FollowEvents stream: the job's events as they are drained from the ring buffer, sent to a
 * gRPC client at the pace the client reads.
 *
 * <p>The event path allocates nothing per event: {@link #onEvent} runs on the gadget's drain
 * thread, encodes the event's JSON into a buffer it reuses and appends it to a byte ring
 * ({@link FollowerRing}); the sender takes what is there and sends it as one {@link EventBatch}
 * of up to {@link #BATCH_BYTES}.
 *
 * <p>Flow control: {@link #onEvent} never blocks the kernel reader. The ring is bounded
 * ({@link #capacity}, in bytes); the sending side writes only while the call
 * {@link ServerCallStreamObserver#isReady() is ready} (the transport's buffer below its
 * threshold) and resumes from the call's on-ready callback. An event that finds the ring full is
 * dropped and counted: the client sees a gap in {@code seq} (every event gets its number whether
 * sent or dropped), so memory stays bounded however slow the client is.
 *
 * <p>When the job ends NodeJobs calls {@link #close()}: what is queued is still sent, then the
 * stream completes; a client that does not read for {@link #END_GRACE} after that loses the rest
 * (counted) and the stream completes anyway.
 */
final class EventFollower implements JobFollower {
    private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);

    /** About 8,000 events of opensnoop's size. */
    static final int DEFAULT_CAPACITY = 2 << 20;
    static final int BATCH_BYTES = 64 << 10;
    static final Duration END_GRACE = Duration.ofSeconds(10);

    private final ServerCallStreamObserver<EventBatch> out;
    private final ScheduledExecutorService timer;
    private final Runnable onDone;
    private final FollowerRing ring;
    private final Batch batch;
    /** The drain thread's: the event being appended. */
    private final EventJsonWriter json = new EventJsonWriter();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Set when there may be something to send (or the stream ended): the sender looks before it parks. */
    private final AtomicBoolean wanted = new AtomicBoolean();
    private volatile Thread senderThread;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final String jobUid;
    private volatile boolean ended;
    private volatile boolean cancelled;
    /** Guarded by this: the stream has been completed or failed. */
    private boolean done;

    /**
     * @param podOfCgroup the pod of a cgroup id, or null when unknown
     * @param sender      runs the follower's sender for the stream's life
     * @param onDone      called once when the stream is over (completed, or cancelled by the client)
     * @param capacity    the bytes of encoded events queued at most
     */
    EventFollower(String jobUid, String node, ServerCallStreamObserver<EventBatch> out, Executor sender,
                  ScheduledExecutorService timer, LongFunction<CgroupOwners.Owner> podOfCgroup, Runnable onDone, int capacity) {
        this.jobUid = jobUid;
        this.out = out;
        this.timer = timer;
        this.onDone = onDone;
        this.ring = new FollowerRing(capacity);
        this.batch = new Batch(jobUid, node, podOfCgroup);
        out.setOnReadyHandler(this::wakeSender);
        out.setOnCancelHandler(this::onCancelled);
        try {
            sender.execute(this::sendLoop);
        } catch (RejectedExecutionException e) { // the daemon is stopping
            giveUp();
        }
    }

    @Override
    public void onEvent(EventBuffer event) {
        if (ended || cancelled) {
            return;
        }
        long s = seq.incrementAndGet();
        int cgroup = event.indexOf("cgroupId");
        long cgroupId = cgroup >= 0 && event.kind(cgroup) != EventBuffer.Kind.OBJECT ? event.number(cgroup) : 0;
        int length = json.write(event);
        if (ring.offer(s, cgroupId, json.bytes(), length)) {
            wakeSender();
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
        wakeSender();
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
        return ring.capacity();
    }

    /** Wakes the sender, unless it is awake already: at most one wake-up per batch it sends, none per event. */
    private void wakeSender() {
        if (!wanted.get() && !wanted.getAndSet(true)) {
            Thread t = senderThread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * The follower's sender: sends whenever woken, until the stream is over. A thread of its own
     * that parks, because handing each wake-up to an executor allocates on the drain thread.
     */
    private void sendLoop() {
        senderThread = Thread.currentThread();
        try {
            while (true) {
                if (!wanted.getAndSet(false)) {
                    LockSupport.park(this);
                    if (Thread.interrupted()) { // the daemon is stopping: what the client can take now, then end
                        drain();
                        giveUp();
                        return;
                    }
                } else if (drain()) {
                    return;
                }
            }
        } finally {
            senderThread = null;
        }
    }

    /**
     * Sends while the client keeps up (the observer is not thread-safe: only under this lock).
     *
     * @return true when the stream is over
     */
    private synchronized boolean drain() {
        if (done) {
            return true;
        }
        if (cancelled) {
            ring.discard();
            return true;
        }
        try {
            while (out.isReady()) {
                batch.clear();
                if (ring.take(batch) == 0) {
                    break;
                }
                out.onNext(batch.build());
            }
            if (ended && ring.isEmpty()) {
                finish();
            }
        } catch (RuntimeException e) { // the call was cancelled or closed meanwhile
            LOG.debug("follower of job {} broke off: {}", jobUid, e.toString());
            onCancelled();
        }
        return done;
    }

    /** The job has ended and the client did not take the rest in time: count it as dropped and complete. */
    private void giveUp() {
        synchronized (this) {
            if (done || cancelled) {
                return;
            }
            dropped.addAndGet(ring.discard());
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
        wakeSender(); // the sender sees the end and stops
    }

    private void onCancelled() {
        boolean first;
        synchronized (this) {
            first = !done;
            done = true;
            cancelled = true;
            ring.discard();
        }
        if (first) {
            onDone.run();
        }
        wakeSender(); // the sender sees the end and stops
    }

    /** The next message, filled from the ring by the sender (under the follower's lock). */
    private static final class Batch implements FollowerRing.Taker {
        private final String jobUid;
        private final String node;
        private final LongFunction<CgroupOwners.Owner> podOfCgroup;
        private EventBatch.Builder message;
        private byte[] lines = new byte[BATCH_BYTES];
        private int size;
        private final List<CgroupOwners.Owner> pods = new ArrayList<>();
        /** Events come in runs from one cgroup: its pod is looked up once per run. */
        private long lastCgroup;
        private int lastRef;

        Batch(String jobUid, String node, LongFunction<CgroupOwners.Owner> podOfCgroup) {
            this.jobUid = jobUid;
            this.node = node;
            this.podOfCgroup = podOfCgroup;
        }

        void clear() {
            message = EventBatch.newBuilder().setJobUid(jobUid).setNode(node);
            size = 0;
            pods.clear();
            lastCgroup = -1;
        }

        @Override
        public boolean take(long seq, long cgroupId, byte[] data, int offset, int length) {
            if (size + length + 1 > lines.length) {
                if (size > 0) {
                    return false; // the next batch's
                }
                lines = Arrays.copyOf(lines, length + 1); // one event larger than a batch
            }
            System.arraycopy(data, offset, lines, size, length);
            size += length;
            lines[size++] = '\n';
            message.addSeq(seq).addPodRef(podRef(cgroupId));
            return true;
        }

        private int podRef(long cgroupId) {
            if (cgroupId != lastCgroup) {
                lastCgroup = cgroupId;
                CgroupOwners.Owner owner = cgroupId == 0 ? null : podOfCgroup.apply(cgroupId);
                int i = owner == null ? -1 : pods.indexOf(owner);
                if (owner != null && i < 0) {
                    pods.add(owner);
                    message.addPods(EventPod.newBuilder().setNamespace(nz(owner.namespace())).setPod(nz(owner.pod()))
                            .setContainer(nz(owner.container())));
                    i = pods.size() - 1;
                }
                lastRef = i + 1;
            }
            return lastRef;
        }

        EventBatch build() {
            return message.setJsonLines(ByteString.copyFrom(lines, 0, size)).build();
        }

        private static String nz(String s) {
            return s == null ? "" : s;
        }
    }
}
