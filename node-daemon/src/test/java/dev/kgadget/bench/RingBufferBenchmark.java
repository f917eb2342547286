package dev.kgadget.bench;

import com.sun.jna.Memory;

import dev.kgadget.daemon.libbpf.BpfMap;
import dev.kgadget.daemon.libbpf.BpfObject;
import dev.kgadget.daemon.libbpf.LibC;
import dev.kgadget.daemon.libbpf.RingBuffer;
import dev.kgadget.daemon.libbpf.RingPoller;
import dev.kgadget.daemon.testing.BenchProducer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Ring buffer consumer throughput: a BPF producer (bench.bpf.c) emits batches of 32-byte
 * records each time this process calls getppid(); the consumer is the runtime's own reader
 * and poller. Each level paces the producer to a target rate, the last one does not pace at
 * all (saturated). Printed per level: events produced and consumed per second, lost events,
 * sequence gaps seen by the consumer, and the consumer thread's CPU time per event.
 */
final class RingBufferBenchmark {
    private static final int RING_BYTES = 16 << 20;
    private static final int BATCH = 256;

    record Level(String name, long eventsPerSecond) {
    }

    record Outcome(Level level, long produced, long consumed, long lost, long gaps, double seconds, long consumerCpuNs) {
        double consumedPerSecond() {
            return consumed / seconds;
        }

        double cpuNsPerEvent() {
            return consumed == 0 ? 0 : (double) consumerCpuNs / consumed;
        }
    }

    static Outcome run(Level level, double seconds) throws Exception {
        try (BpfObject obj = BenchProducer.load(RING_BYTES, BATCH)) {
            var link = obj.program("kg_bench_tick").attach();
            try (RingBuffer ring = RingBuffer.open(obj.map("kg_events"))) {
                return measure(level, seconds, obj, ring);
            } finally {
                link.close();
            }
        }
    }

    private static Outcome measure(Level level, double seconds, BpfObject obj, RingBuffer ring) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        long[] consumed = {0};
        long[] gaps = {0};
        long[] expected = {0};
        long[] cpu = {0};
        RingBuffer.RecordHandler handler = (ByteBuffer data, int offset, int length) -> {
            long seq = data.getLong(offset + 8); // behind the run tag
            if (seq != expected[0]) {
                gaps[0]++;
            }
            expected[0] = seq + 1;
            consumed[0]++;
        };
        Thread consumer = new Thread(() -> {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            RingPoller.pollUntil(() -> ring.drain(handler), stop::get);
            ring.drain(handler);
            cpu[0] = mx.getCurrentThreadCpuTime() - c0;
        }, "bench-consumer");
        consumer.start();

        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        double nsPerCall = level.eventsPerSecond() == 0 ? 0 : 1e9 * BATCH / level.eventsPerSecond();
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            if (nsPerCall > 0) {
                long due = start + (long) (calls * nsPerCall);
                if (due > now) {
                    LockSupport.parkNanos(Math.min(due - now, TimeUnit.MILLISECONDS.toNanos(1)));
                    continue;
                }
            }
            LibC.INSTANCE.getppid();
            calls++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        LockSupport.unpark(consumer);
        consumer.join();
        long lost = obj.map("kg_lost").sumPerCpuCounters();
        return new Outcome(level, readSeq(obj.map("kg_bench_seq")), consumed[0], lost, gaps[0], elapsed, cpu[0]);
    }

    private static long readSeq(BpfMap seq) {
        Memory key = new Memory(4);
        key.setInt(0, 0);
        Memory value = new Memory(8);
        seq.get(key, value);
        return value.getLong(0);
    }

}
