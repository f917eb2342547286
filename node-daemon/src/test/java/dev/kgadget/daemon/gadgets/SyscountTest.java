package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.result.CountRow;
import dev.kgadget.daemon.runtime.TargetFilter;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Traces;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SyscountTest {
    private static final int N = 20_000;

    @Test
    void countsTheCgroupsSyscallsExactly() {
        try (TestCgroup inside = TestCgroup.create("sc-in"); TestCgroup outside = TestCgroup.create("sc-out")) {
            var traced = Traces.around("syscount", Map.of("top", "50"), TargetFilter.cgroups(Set.of(inside.id())), () -> {
                Process out = outside.start(Workloads.kgwork(), "getppid", Integer.toString(N));
                inside.run(Workloads.kgwork(), "getppid", Integer.toString(N));
                TestCgroup.waitOk(out, "outside workload");
            });
            List<CountRow> rows = traced.result().counts();
            assertThat(row(rows, "getppid").count()).isEqualTo(N);
            assertThat(rows.get(0).name()).isEqualTo("getppid");
            assertThat(row(rows, "getppid").totalNs()).isNull();
            assertThat(rows).isSortedAccordingTo((a, b) -> Long.compare(b.count(), a.count()));
        }
    }

    @Test
    void measuresLatencyPerSyscall() {
        try (TestCgroup inside = TestCgroup.create("sc-nrlat")) {
            var traced = Traces.around("syscount", Map.of("latency", "true"), TargetFilter.cgroups(Set.of(inside.id())),
                    () -> inside.run(Workloads.kgwork(), "getppid", Integer.toString(N)));
            CountRow row = row(traced.result().counts(), "getppid");
            assertThat(row.count()).isEqualTo(N);
            assertThat(row.pid()).isNull();
            // a getppid takes well under a microsecond each; the sum can't be zero or absurd
            assertThat(row.totalNs()).isBetween((long) N, N * 1_000_000L);
        }
    }

    @Test
    void measuresLatencyAndCountsPerProcess() {
        try (TestCgroup inside = TestCgroup.create("sc-lat")) {
            long[] pid = new long[1];
            var traced = Traces.around("syscount", Map.of("latency", "true", "per-process", "true"),
                    TargetFilter.cgroups(Set.of(inside.id())), () -> {
                        Process p = inside.start(Workloads.kgwork(), "getppid", Integer.toString(N));
                        pid[0] = p.pid();
                        TestCgroup.waitOk(p, "workload");
                    });
            CountRow row = traced.result().counts().stream().filter(r -> r.pid() != null && r.pid() == pid[0])
                    .findFirst().orElseThrow();
            assertThat(row.name()).isEqualTo("kgwork");
            // getppid plus the loader's and libc's start-up calls: a few dozen at most
            assertThat(row.count()).isBetween((long) N, N + 80L);
            assertThat(row.totalNs()).isPositive();
            assertThat(row.avgNs()).isPositive();
        }
    }

    private static CountRow row(List<CountRow> rows, String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + name + " in " + rows));
    }
}
