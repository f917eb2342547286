package dev.kgadget.daemon.server;

import dev.kgadget.daemon.jobs.CgroupOwners;
import dev.kgadget.api.grpc.TraceEvent;
import dev.kgadget.api.result.EventRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.stub.ServerCallStreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A FollowEvents stream's flow control with a client that stops reading: memory stays bounded,
 * what does not fit is dropped and shows as gaps in seq, the stream still completes.
 */
class EventFollowerTest {
    private final ExecutorService sender = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        sender.shutdownNow();
        timer.shutdownNow();
    }

    @Test
    void aSlowClientLosesWhatDoesNotFitAndSeesTheGap() throws Exception {
        FakeCall call = new FakeCall();
        AtomicInteger done = new AtomicInteger();
        EventFollower f = new EventFollower("job-1", "node-1", call, sender, timer,
                id -> id == 7 ? new CgroupOwners.Owner("ns", "pod-a", "app") : null, done::incrementAndGet, 4);

        call.ready = false; // the client's window is full
        for (int i = 1; i <= 10; i++) {
            f.onEvent(event(i, i % 2 == 0 ? 7 : 8));
        }
        assertThat(f.dropped()).isEqualTo(6);
        assertThat(call.sent).isEmpty();

        call.becomeReady(); // the client reads again
        await().atMost(Duration.ofSeconds(5)).until(() -> call.sent.size() == 4);
        assertThat(call.sent).extracting(TraceEvent::getSeq).containsExactly(1L, 2L, 3L, 4L);

        f.onEvent(event(11, 7));
        await().atMost(Duration.ofSeconds(5)).until(() -> call.sent.size() == 5);
        TraceEvent last = call.sent.get(4);
        assertThat(last.getSeq()).isEqualTo(11); // 5..10 were dropped: a gap
        assertThat(last.getJobUid()).isEqualTo("job-1");
        assertThat(last.getNode()).isEqualTo("node-1");
        assertThat(last.getPod()).isEqualTo("pod-a");
        assertThat(last.getNamespace()).isEqualTo("ns");
        assertThat(last.getContainer()).isEqualTo("app");
        JsonNode json = new ObjectMapper().readTree(last.getJsonFields());
        assertThat(json.get("pid").asInt()).isEqualTo(11);
        assertThat(json.get("time").asText()).isEqualTo("2025-01-01T00:00:11Z");
        assertThat(call.sent.get(0).getPod()).isEmpty(); // cgroup 8 belongs to no known pod

        f.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> call.completed);
        assertThat(done.get()).isEqualTo(1);
        f.onEvent(event(12, 7)); // after the end: ignored
        assertThat(call.sent).hasSize(5);
    }

    @Test
    void theQueueIsSentBeforeTheStreamCompletes() {
        FakeCall call = new FakeCall();
        AtomicInteger done = new AtomicInteger();
        EventFollower f = new EventFollower("job-1", "node-1", call, sender, timer, id -> null, done::incrementAndGet,
                100);
        call.ready = false;
        for (int i = 1; i <= 50; i++) {
            f.onEvent(event(i, 1));
        }
        f.close();
        assertThat(call.completed).isFalse();
        call.becomeReady();
        await().atMost(Duration.ofSeconds(5)).until(() -> call.completed);
        assertThat(call.sent).hasSize(50);
        assertThat(f.dropped()).isZero();
        assertThat(done.get()).isEqualTo(1);
    }

    @Test
    void aCancelledClientStopsTheStream() {
        FakeCall call = new FakeCall();
        AtomicInteger done = new AtomicInteger();
        EventFollower f = new EventFollower("job-1", "node-1", call, sender, timer, id -> null, done::incrementAndGet,
                100);
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

    private static EventRecord event(int i, long cgroup) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("time", Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i));
        f.put("pid", i);
        f.put("cgroupId", cgroup);
        f.put("args", List.of("/bin/true"));
        return new EventRecord(f);
    }

    /** The server side of a call whose readiness the test controls. */
    private static final class FakeCall extends ServerCallStreamObserver<TraceEvent> {
        final List<TraceEvent> sent = new CopyOnWriteArrayList<>();
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
        public void onNext(TraceEvent value) {
            if (completed) {
                throw new IllegalStateException("onNext after onCompleted");
            }
            sent.add(value);
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
