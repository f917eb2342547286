package dev.kgadget.daemon.server;

import dev.kgadget.api.cluster.FollowedEvent;
import dev.kgadget.api.grpc.EventBatch;
import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.daemon.jobs.CgroupOwners;
import dev.kgadget.daemon.status.EventJsonWriter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.stub.ServerCallStreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A FollowEvents stream's flow control with a client that stops reading: memory stays bounded,
 * what does not fit is dropped and shows as gaps in seq, the stream still completes. And its
 * batching: many events per message, none allocated for on the drain thread.
 */
class EventFollowerTest {
    private static final long T0 = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final ExecutorService sender = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final EventBuffer buffer = new EventBuffer();

    @AfterEach
    void stop() {
        sender.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void aSlowClientLosesWhatDoesNotFitAndSeesTheGap() throws Exception {
        FakeCall call = new FakeCall();
        AtomicInteger done = new AtomicInteger();
        int entry = FollowerRing.HEADER + new EventJsonWriter().write(event(101, 7)); // every event here is as long
        EventFollower f = new EventFollower("job-1", "node-1", call, sender, timer,
                id -> id == 7 ? new CgroupOwners.Owner("ns", "pod-a", "app") : null, done::incrementAndGet, 4 * entry);

        call.ready = false; // the client's window is full
        for (int i = 1; i <= 10; i++) {
            f.onEvent(event(100 + i, i % 2 == 0 ? 7 : 8));
        }
        assertThat(f.dropped()).isEqualTo(6);
        assertThat(call.sent).isEmpty();

        call.becomeReady(); // the client reads again
        await().atMost(Duration.ofSeconds(5)).until(() -> call.events().size() == 4);
        assertThat(call.events()).extracting(FollowedEvent::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(call.sent).hasSize(1); // what was waiting went as one message

        f.onEvent(event(111, 7));
        await().atMost(Duration.ofSeconds(5)).until(() -> call.events().size() == 5);
        FollowedEvent last = call.events().get(4);
        assertThat(last.seq()).isEqualTo(11); // 5..10 were dropped: a gap
        assertThat(last.jobUid()).isEqualTo("job-1");
        assertThat(last.node()).isEqualTo("node-1");
        assertThat(last.pod()).isEqualTo("pod-a");
        assertThat(last.namespace()).isEqualTo("ns");
        assertThat(last.container()).isEqualTo("app");
        JsonNode json = new ObjectMapper().readTree(last.jsonFields());
        assertThat(json.get("pid").asInt()).isEqualTo(111);
        assertThat(json.get("time").asText()).isEqualTo("2025-01-01T00:01:51Z");
        assertThat(call.events().get(0).pod()).isEmpty(); // cgroup 8 belongs to no known pod
        assertThat(call.events().get(1).pod()).isEqualTo("pod-a");

        f.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> call.completed);
        assertThat(done.get()).isEqualTo(1);
        f.onEvent(event(112, 7)); // after the end: ignored
        assertThat(call.events()).hasSize(5);
    }

    @Test
    void theQueueIsSentBeforeTheStreamCompletes() {
        FakeCall call = new FakeCall();
        AtomicInteger done = new AtomicInteger();
        EventFollower f = new EventFollower("job-1", "node-1", call, sender, timer, id -> null, done::incrementAndGet,
                EventFollower.DEFAULT_CAPACITY);
        call.ready = false;
        for (int i = 1; i <= 50; i++) {
            f.onEvent(event(i, 1));
        }
        f.close();
        assertThat(call.completed).isFalse();
        call.becomeReady();
        await().atMost(Duration.ofSeconds(5)).until(() -> call.completed);
        assertThat(call.events()).hasSize(50).extracting(FollowedEvent::seq).containsExactlyElementsOf(seqs(1, 50));
        assertThat(f.dropped()).isZero();
        assertThat(done.get()).isEqualTo(1);
    }

    @Test
    void aMessageCarriesAtMostABatchOfBytesAndEachItsOwnPods() {
        FakeCall call = new FakeCall();
        CgroupOwners.Owner a = new CgroupOwners.Owner("ns", "pod-a", "app");
        CgroupOwners.Owner b = new CgroupOwners.Owner("ns", "pod-b", null);
        EventFollower f = new EventFollower("job-1", "node-1", call, sender, timer, id -> id == 1 ? a : id == 2 ? b : null,
                () -> { }, EventFollower.DEFAULT_CAPACITY);
        call.ready = false;
        int n = 5_000; // ~80 bytes each: 400 KB, several batches
        for (int i = 1; i <= n; i++) {
            f.onEvent(event(i, i % 3));
        }
        call.becomeReady();
        f.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> call.completed);
        assertThat(f.dropped()).isZero();
        assertThat(call.sent.size()).isBetween(6, 10);
        assertThat(call.sent).allSatisfy(m -> {
            assertThat(m.getJsonLines().size()).isLessThanOrEqualTo(EventFollower.BATCH_BYTES);
            assertThat(m.getPodsCount()).isEqualTo(2); // the two known pods, once per message
        });
        List<FollowedEvent> events = call.events();
        assertThat(events).extracting(FollowedEvent::seq).containsExactlyElementsOf(seqs(1, n));
        for (FollowedEvent e : events) {
            assertThat(e.pod()).isEqualTo(switch ((int) (e.seq() % 3)) {
                case 1 -> "pod-a";
                case 2 -> "pod-b";
                default -> "";
            });
            assertThat(e.container()).isEqualTo(e.seq() % 3 == 1 ? "app" : "");
        }
    }

    @Test
    void theDrainThreadAllocatesNothingPerFollowedEvent() {
        FakeCall call = new FakeCall();
        call.keep = false;
        EventFollower f = new EventFollower("job-1", "node-1", call, sender, timer, id -> null, () -> { },
                EventFollower.DEFAULT_CAPACITY);
        int n = 100_000;
        for (int i = 1; i <= n; i++) { // warm-up: the encoder's buffers, the JIT
            f.onEvent(event(T0 + i * 1_000L, i, 1)); // all in one second, as a storm's are
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 1; i <= n; i++) {
            f.onEvent(event(T0 + i * 1_000L, i, 1));
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        f.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> call.completed);
        assertThat(call.received.get() + f.dropped()).isEqualTo(2L * n);
        assertThat(call.received.get()).isPositive();
        // encoded into a reused buffer, appended to the ring, the sender woken by unpark: nothing
        assertThat(allocated).as("bytes allocated by %d followed events", n).isLessThan(1024);
    }

    @Test
    void aCancelledClientStopsTheStream() {
        FakeCall call = new FakeCall();
        AtomicInteger done = new AtomicInteger();
        EventFollower f = new EventFollower("job-1", "node-1", call, sender, timer, id -> null, done::incrementAndGet,
                EventFollower.DEFAULT_CAPACITY);
        call.ready = false;
        f.onEvent(event(1, 1));
        call.cancel();
        assertThat(done.get()).isEqualTo(1);
        call.becomeReady();
        f.onEvent(event(2, 1));
        f.close();
        assertThat(call.sent).isEmpty();
        assertThat(call.completed).isFalse();
        assertThat(done.get()).isEqualTo(1);
    }

    private static final List<String> ARGS = List.of("/bin/true");

    /** Event i, at second i. */
    private EventBuffer event(int i, long cgroup) {
        return event(T0 + i * 1_000_000_000L, i, cgroup);
    }

    private EventBuffer event(long time, int pid, long cgroup) {
        return buffer.clear().putTime("time", time).putInt("pid", pid).putLong("cgroupId", cgroup).put("args", ARGS);
    }

    private static List<Long> seqs(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            out.add(s);
        }
        return out;
    }

    /** The server side of a call whose readiness the test controls. */
    private static final class FakeCall extends ServerCallStreamObserver<EventBatch> {
        final List<EventBatch> sent = new CopyOnWriteArrayList<>();
        /** false: count the events only */
        volatile boolean keep = true;
        final AtomicLong received = new AtomicLong();
        volatile boolean ready = true;
        volatile boolean completed;
        private volatile Runnable onReady = () -> { };
        private volatile Runnable onCancel = () -> { };

        void becomeReady() {
            ready = true;
            onReady.run();
        }

        void cancel() {
            onCancel.run();
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void setOnCancelHandler(Runnable onCancelHandler) {
            onCancel = onCancelHandler;
        }

        @Override
        public void setCompression(String compression) {
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setOnReadyHandler(Runnable onReadyHandler) {
            onReady = onReadyHandler;
        }

        @Override
        public void disableAutoInboundFlowControl() {
        }

        @Override
        public void request(int count) {
        }

        @Override
        public void setMessageCompression(boolean enable) {
        }

        @Override
        public void onNext(EventBatch value) {
            if (completed) {
                throw new IllegalStateException("onNext after onCompleted");
            }
            received.addAndGet(value.getSeqCount());
            if (keep) {
                sent.add(value);
            }
        }

        List<FollowedEvent> events() {
            List<FollowedEvent> out = new ArrayList<>();
            for (EventBatch b : sent) {
                out.addAll(FollowedEvent.of(b));
            }
            return out;
        }

        @Override
        public void onError(Throwable t) {
            throw new IllegalStateException("unexpected", t);
        }

        @Override
        public void onCompleted() {
            if (completed) {
                throw new IllegalStateException("completed twice");
            }
            completed = true;
        }
    }
}
