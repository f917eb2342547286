package dev.kgadget.daemon.testing;

import com.sun.jna.Memory;

import dev.kgadget.daemon.libbpf.BpfObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * bench.bpf.o loaded for this process: every getppid() this JVM makes emits {@code batch}
 * sequence-numbered 32-byte records (each behind its 8-byte run tag) into a ring of
 * {@code ringBytes} (not yet attached).
 */
public final class BenchProducer {
    private BenchProducer() {
    }

    public static BpfObject load(int ringBytes, int batch) {
        byte[] elf;
        try (InputStream in = BenchProducer.class.getClassLoader().getResourceAsStream("kgadget/bpf/bench.bpf.o")) {
            if (in == null) {
                throw new IllegalStateException("bench.bpf.o is missing from the classpath");
            }
            elf = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BpfObject obj = BpfObject.open("bench", elf);
        try {
            obj.setRodata(Map.of("bench_tgid", (int) ProcessHandle.current().pid()));
            obj.map("kg_events").setMaxEntries(ringBytes);
            obj.load();
            Memory key = new Memory(4);
            key.setInt(0, 0);
            Memory value = new Memory(4);
            value.setInt(0, batch);
            obj.map("kg_bench_cfg").put(key, value);
            return obj;
        } catch (RuntimeException e) {
            obj.close();
            throw e;
        }
    }
}
