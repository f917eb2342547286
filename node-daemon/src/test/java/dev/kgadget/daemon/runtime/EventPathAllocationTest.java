package dev.kgadget.daemon.runtime;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole user-space event path of a storm (ring drain, dispatch to the run, decoding, the
 * sink reading every field) allocates nothing per event, on the real kernel: a sink that reads
 * each event's numbers and text counts what the drain thread allocated while the events flowed.
 */
class EventPathAllocationTest {
    private static final int N = 30_000; // 4 MB of records: the 8 MiB ring holds them however slow a cold JVM drains
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Reads every event as a printer would; counts the drain thread's allocation after the first event. */
    private static final class ReadingSink implements EventSink {
        final String path;
        Thread drainer;
        long baseline = -1;
        long allocated;
        long matching;
        long events;
        long pidSum;

        ReadingSink(String path) {
            this.path = path;
        }

        @Override
        public void onEvent(EventBuffer e) {
            events++;
            if (path.equals(e.object(e.indexOf("path"))) && e.number(e.indexOf("fd")) >= 0) {
                matching++;
                pidSum += e.number(e.indexOf("pid"));
            }
            e.number(e.indexOf("time"));
            e.object(e.indexOf("comm"));
            e.object(e.indexOf("flags"));
            e.object(e.indexOf("syscall"));
            if (drainer == null) {
                drainer = Thread.currentThread();
                baseline = THREADS.getCurrentThreadAllocatedBytes(); // the first event's texts are made
            }
        }

        @Override
        public void endOfBatch() {
            if (Thread.currentThread() == drainer) {
                allocated = THREADS.getCurrentThreadAllocatedBytes() - baseline;
            }
        }
    }

    @Test
    void anOpenStormIsDrainedDecodedAndReadWithoutAllocatingPerEvent() throws Exception {
        assertThat(THREADS.isThreadAllocatedMemorySupported()).isTrue();
        Path file = Files.createTempFile("kgadget-alloc-", ".txt");
        try (TestCgroup cg = TestCgroup.create("alloc")) {
            ReadingSink sink = new ReadingSink(file.toString());
            var d = GadgetCatalog.require("opensnoop");
            GadgetRequest request = new GadgetRequest(d, GadgetParams.of(d, Map.of()), Duration.ofMinutes(5),
                    TargetFilter.cgroups(Set.of(cg.id())), 0, false); // keeps no events: the sink is the only reader
            GadgetResult result;
            try (GadgetRun run = new GadgetRuntime().start(request, sink)) {
                cg.run(Workloads.kgwork(), "open", Integer.toString(N), file.toString());
                run.cancel();
                result = run.await();
            }
            assertThat(result.lostEvents()).isZero();
            assertThat(sink.matching).isEqualTo(N);
            assertThat(sink.events).isEqualTo(result.eventCount()).isBetween((long) N, N + 50L);
            assertThat(sink.pidSum % N).isZero(); // one process made them all
            // the drain thread's allocation from the end of the first event to its last batch: a
            // few new texts (the loader's opens before kgwork's), nothing per event (the decoded
            // records, boxes and times were ~300 bytes an event: 9 MB here)
            assertThat(sink.allocated).as("bytes allocated by the drain thread over %d events", sink.events)
                    .isBetween(0L, 16L * 1024);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void notAllocatingIsMeasuredNotAssumed() {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        byte[] kept = new byte[100_000];
        assertThat(THREADS.getCurrentThreadAllocatedBytes() - before).isGreaterThanOrEqualTo(kept.length);
    }
}
