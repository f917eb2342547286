package dev.kgadget.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The runtime benchmarks, printed as tables. Run with {@code ./bench/run} (needs root).
 * Numbers only: nothing here asserts anything about time.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        System.out.printf("kgadget runtime benchmark — %s, %d CPUs, kernel %s, java %s%n%n",
                cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"),
                System.getProperty("java.version"));

        System.out.println("1. Ring buffer consumer (mmap reader, 32-byte records behind an 8-byte run tag, 16 MiB ring, " + seconds + " s per level)");
        System.out.printf("%-11s %14s %14s %10s %8s %14s%n", "level", "produced/s", "consumed/s", "lost", "gaps", "consumer ns/ev");
        List<RingBufferBenchmark.Level> levels = List.of(
                new RingBufferBenchmark.Level("1M/s", 1_000_000),
                new RingBufferBenchmark.Level("2M/s", 2_000_000),
                new RingBufferBenchmark.Level("4M/s", 4_000_000),
                new RingBufferBenchmark.Level("saturated", 0));
        for (RingBufferBenchmark.Level level : levels) {
            var o = RingBufferBenchmark.run(level, seconds);
            System.out.printf("%-11s %14.0f %14.0f %10d %8d %14.1f%n", level.name(), o.produced() / o.seconds(),
                    o.consumedPerSecond(), o.lost(), o.gaps(), o.cpuNsPerEvent());
        }

        System.out.println();
        System.out.println("2. Gadget in-kernel cost under its workload (kernel run_time_ns / run_cnt, filter on)");
        System.out.printf("%-11s %-30s %10s %12s %10s   %s%n", "gadget", "workload", "ops", "prog runs", "ns/run", "per program");
        Path file = Files.createTempFile("kgadget-bench-open", ".txt");
        Path data = GadgetCostBenchmark.dataFile();
        try {
            for (var c : GadgetCostBenchmark.cases(file, data)) {
                System.out.println(GadgetCostBenchmark.describe(GadgetCostBenchmark.run(c)));
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(data);
        }
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (java.io.IOException e) {
            return "unknown CPU";
        }
    }
}
