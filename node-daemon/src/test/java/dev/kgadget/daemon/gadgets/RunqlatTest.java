package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.result.Histogram;
import dev.kgadget.daemon.runtime.TargetFilter;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Traces;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RunqlatTest {
    private static final int WAKEUPS = 300;

    /**
     * A sleeper wakes N times onto a CPU that two spinners of the same cgroup keep busy: its
     * histogram holds its N waits, the spinners' preemptions appear under their own pids, and
     * an identical sleeper+spinner pair outside the cgroup appears nowhere.
     */
    @Test
    void attributesWaitsToTheWokenTaskOfTheCgroupOnly() {
        try (TestCgroup inside = TestCgroup.create("runq-in"); TestCgroup outside = TestCgroup.create("runq-out")) {
            var traced = Traces.around("runqlat", Map.of("per-process", "true"), TargetFilter.cgroups(Set.of(inside.id())), () -> {
                Process spin1 = inside.start(Workloads.kgwork(), "spin", "3000", "0");
                Process spin2 = inside.start(Workloads.kgwork(), "spin", "3000", "0");
                Process outSpin = outside.start(Workloads.kgwork(), "spin", "3000", "1");
                Process outSleeper = outside.start(Workloads.kgwork(), "sleep", Integer.toString(WAKEUPS), "1000", "1");
                Process sleeper = inside.start(Workloads.kgwork(), "sleep", Integer.toString(WAKEUPS), "1000", "0");
                TestCgroup.waitOk(sleeper, "sleeper");
                processes.clear();
                processes.addAll(List.of(sleeper.pid(), spin1.pid(), spin2.pid(), outSpin.pid(), outSleeper.pid()));
                for (Process p : List.of(spin1, spin2, outSpin, outSleeper)) {
                    TestCgroup.waitOk(p, "spinner");
                }
            });
            List<Histogram> hs = traced.result().histograms();
            Histogram sleeper = byPid(hs, processes.get(0));
            // N wakeups, plus the few waits of process start-up and exit; a sleep whose timer fires
            // before its task has left the CPU is woken without ever queueing, so a few may be missing
            assertThat(sleeper.count()).isBetween(WAKEUPS - 3L, WAKEUPS + 12L);
            assertThat(byPid(hs, processes.get(1)).count() + byPid(hs, processes.get(2)).count()).isPositive();
            for (long outsider : processes.subList(3, 5)) {
                assertThat(hs).noneMatch(h -> h.label().endsWith("[" + outsider + "]"));
            }
            assertThat(sleeper.label()).startsWith("kgwork [");
        }
    }

    /**
     * Without per-process, the cgroup's waits add up in one histogram (per-CPU counters in the
     * kernel, summed by user space): a sleeper's N wakeups, and none of an outside sleeper's 2N.
     */
    @Test
    void countsTheCgroupsWaitsInOneHistogram() {
        try (TestCgroup inside = TestCgroup.create("runq1-in"); TestCgroup outside = TestCgroup.create("runq1-out")) {
            var traced = Traces.around("runqlat", Map.of(), TargetFilter.cgroups(Set.of(inside.id())), () -> {
                Process outSleeper = outside.start(Workloads.kgwork(), "sleep", Integer.toString(2 * WAKEUPS), "1000");
                inside.run(Workloads.kgwork(), "sleep", Integer.toString(WAKEUPS), "1000");
                TestCgroup.waitOk(outSleeper, "outside sleeper");
            });
            List<Histogram> hs = traced.result().histograms();
            assertThat(hs).hasSize(1);
            // N wakeups plus the few waits of start-up and exit, less the odd sleep that never queued
            assertThat(hs.get(0).count()).isBetween(WAKEUPS - 3L, WAKEUPS + 12L);
        }
    }

    private final List<Long> processes = new java.util.ArrayList<>();

    private static Histogram byPid(List<Histogram> hs, long pid) {
        return hs.stream().filter(h -> h.label().endsWith("[" + pid + "]")).findFirst()
                .orElseThrow(() -> new AssertionError("no histogram for pid " + pid + " in " + hs));
    }
}
