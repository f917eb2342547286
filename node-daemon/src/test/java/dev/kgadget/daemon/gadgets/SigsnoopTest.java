package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.result.EventRecord;
import dev.kgadget.daemon.runtime.TargetFilter;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Traces;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SigsnoopTest {
    @Test
    void reportsEachSignalTheCgroupSendsAndNoneOfTheOutsidesOnes() {
        try (TestCgroup inside = TestCgroup.create("sig-in"); TestCgroup outside = TestCgroup.create("sig-out")) {
            var traced = Traces.around("sigsnoop", Map.of(), TargetFilter.cgroups(Set.of(inside.id())), () -> {
                Process out = outside.start(Workloads.kgwork(), "signal", "13", "10");
                inside.run(Workloads.kgwork(), "signal", "25", "10");
                TestCgroup.waitOk(out, "outside workload");
            });
            List<EventRecord> usr1 = traced.result().events().stream().filter(e -> "SIGUSR1".equals(e.get("signal"))).toList();
            assertThat(usr1).hasSize(25).allSatisfy(e -> {
                assertThat(e.get("comm")).isEqualTo("kgwork");
                assertThat(e.get("tcomm")).isEqualTo("kgwork");
                // one sent before the child handled the last one merges with it: the kernel says so
                assertThat(e.get("result")).isIn("delivered", "already-pending");
                assertThat(e.get("code")).isEqualTo(0); // SI_USER: kill()
                assertThat(e.get("cgroupId")).isEqualTo(inside.id());
            });
            assertThat(usr1).anySatisfy(e -> assertThat(e.get("result")).isEqualTo("delivered"));
            assertThat(usr1.stream().map(e -> e.get("pid")).distinct()).hasSize(1);
            assertThat(usr1.stream().map(e -> e.get("tpid")).distinct()).hasSize(1).doesNotContain(usr1.get(0).get("pid"));
            // then the parent's SIGKILL to the child, and the kernel's SIGCHLD to the parent
            assertThat(traced.result().events()).filteredOn(e -> "SIGKILL".equals(e.get("signal"))).hasSize(1);
            assertThat(traced.result().events()).filteredOn(e -> "SIGCHLD".equals(e.get("signal"))).isNotEmpty();
            assertThat(traced.result().events()).allSatisfy(e -> assertThat(e.get("cgroupId")).isEqualTo(inside.id()));
            assertThat(traced.result().lostEvents()).isZero();
        }
    }

    @Test
    void theSignalParameterKeepsOnlyThatSignal() {
        try (TestCgroup cg = TestCgroup.create("sig-one")) {
            var traced = Traces.around("sigsnoop", Map.of("signal", "12"), TargetFilter.cgroups(Set.of(cg.id())), () ->
                    cg.run(Workloads.kgwork(), "signal", "9", "12"));
            assertThat(traced.result().events()).hasSize(9).allSatisfy(e -> assertThat(e.get("signal")).isEqualTo("SIGUSR2"));
        }
    }
}
