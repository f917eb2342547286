package dev.kgadget.daemon.libbpf;

import dev.kgadget.daemon.testing.BenchProducer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mmap reader against a real BPF producer (bench.bpf.c): every record arrives once, in
 * order, and what does not fit is counted as lost in the kernel — never silently dropped.
 */
class RingBufferTest {
    private static final int TAG = 8; // kg_event_tag: the run (0 here: the object is loaded on its own)
    private static final int RECORD = 8 + TAG + 32; // ring header + tag + kg_bench_event

    @Test
    void aFullRingCountsEveryDropAndHandsOverTheRestInOrder() throws Exception {
        int ring = 4096;
        try (BpfObject obj = BenchProducer.load(ring, 1000); BpfLink link = obj.program("kg_bench_tick").attach();
             RingBuffer reader = RingBuffer.open(obj.map("kg_events"))) {
            assertThat(link.program()).isEqualTo("kg_bench_tick");
            LibC.INSTANCE.getppid(); // 1000 events into a ring that holds 102
            List<Long> seqs = new ArrayList<>();
            reader.drain((data, offset, length) -> {
                assertThat(length).isEqualTo(TAG + 32);
                assertThat(data.getInt(offset)).isZero();
                seqs.add(data.getLong(offset + TAG));
            });
            long lost = obj.map("kg_lost").sumPerCpuCounters();
            assertThat(seqs).hasSize(ring / RECORD);
            assertThat(seqs).containsExactlyElementsOf(range(0, ring / RECORD));
            assertThat(lost).isEqualTo(1000 - ring / RECORD);

            // the space is free again: the next batch fills it from where the sequence went on
            seqs.clear();
            LibC.INSTANCE.getppid();
            reader.drain((data, offset, length) -> seqs.add(data.getLong(offset + TAG)));
            assertThat(seqs).containsExactlyElementsOf(range(1000, 1000 + ring / RECORD));
        }
    }

    @Test
    void recordsWrappingTheEndOfTheRingArriveWhole() throws Exception {
        try (BpfObject obj = BenchProducer.load(4096, 70); BpfLink link = obj.program("kg_bench_tick").attach();
             RingBuffer reader = RingBuffer.open(obj.map("kg_events"))) {
            assertThat(link.program()).isEqualTo("kg_bench_tick");
            long expected = 0;
            for (int round = 0; round < 50; round++) {
                LibC.INSTANCE.getppid();
                List<Long> seqs = new ArrayList<>();
                List<Long> payloads = new ArrayList<>();
                List<Integer> batches = new ArrayList<>();
                reader.drain((data, offset, length) -> {
                    // 48-byte records in a 4096-byte ring: headers, sequence numbers and the
                    // later fields each land across the end in some round; all must arrive whole
                    seqs.add(data.getLong(offset + TAG));
                    batches.add(data.getInt(offset + TAG + 20));
                    payloads.add(data.getLong(offset + TAG + 24));
                });
                assertThat(seqs).containsExactlyElementsOf(range(expected, expected + 70));
                assertThat(payloads).containsExactlyElementsOf(range(0, 70));
                assertThat(batches).containsOnly(70);
                expected += 70;
                assertThat(reader.pending()).isZero();
            }
            assertThat(obj.map("kg_lost").sumPerCpuCounters()).isZero();
        }
    }

    private static List<Long> range(long from, long to) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }
}
