package dev.kgadget.bench;

import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.ProgramCost;
import dev.kgadget.daemon.runtime.TargetFilter;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Traces;
import dev.kgadget.daemon.testing.Workloads;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each gadget's in-kernel cost under the workload it is made for, from the kernel's own
 * accounting (run_time_ns / run_cnt per program). The workload runs in a filtered cgroup, so
 * the figure includes the filter check every program does first.
 */
final class GadgetCostBenchmark {
    record Case(String gadget, String workload, Map<String, String> params, String[] command) {
    }

    record Outcome(Case c, long workloadOps, GadgetResult result, double wallSeconds) {
    }

    static List<Case> cases(Path file, Path dataFile) {
        String w = Workloads.kgwork();
        return List.of(
                new Case("biolatency", "4 KiB O_DIRECT writes x 5000", Map.of(),
                        new String[] {w, "directio", dataFile.toString(), "5000"}),
                new Case("runqlat", "1 ms sleeps x 2000", Map.of(),
                        new String[] {w, "sleep", "2000", "1000"}),
                new Case("execsnoop", "fork+exec /bin/true x 500", Map.of(),
                        new String[] {w, "exec", "500", "/bin/true"}),
                new Case("opensnoop", "open+close x 200000", Map.of(),
                        new String[] {w, "open", "200000", file.toString()}),
                new Case("syscount", "getppid x 1000000", Map.of(),
                        new String[] {w, "getppid", "1000000"}));
    }

    static long ops(Case c) {
        return Long.parseLong(c.command()[c.command()[1].equals("directio") ? 3 : 2]);
    }

    static Outcome run(Case c) {
        try (TestCgroup cg = TestCgroup.create("bench-" + c.gadget())) {
            long t0 = System.nanoTime();
            var traced = Traces.around(c.gadget(), c.params(), TargetFilter.cgroups(Set.of(cg.id())), () -> cg.run(c.command()));
            return new Outcome(c, ops(c), traced.result(), (System.nanoTime() - t0) / 1e9);
        }
    }

    static Path dataFile() throws IOException {
        Path p = Files.createTempFile(Workloads.diskDir(), "kgadget-bench", ".dat");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(new byte[256 * 4096]);
            f.getFD().sync();
        }
        return p;
    }

    static String describe(Outcome o) {
        ProgramCost total = ProgramCost.total(o.result().programs());
        StringBuilder perProgram = new StringBuilder();
        for (ProgramCost p : o.result().programs()) {
            perProgram.append(String.format("%s=%.0fns/%d ", p.program(), p.nsPerRun(), p.runCount()));
        }
        return String.format("%-11s %-30s %10d %12d %10.1f   %s", o.c().gadget(), o.c().workload(), o.workloadOps(),
                total.runCount(), total.nsPerRun(), perProgram.toString().trim());
    }
}
