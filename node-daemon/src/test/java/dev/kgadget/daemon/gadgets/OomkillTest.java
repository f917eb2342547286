package dev.kgadget.daemon.gadgets;

import dev.kgadget.daemon.runtime.TargetFilter;
import dev.kgadget.daemon.testing.MemoryLimit;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Traces;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A process that outgrows a 32 MiB memory limit inside the filter is reported once; one outside is not. */
class OomkillTest {
    private static final long LIMIT = 32L << 20;

    @Test
    void reportsTheVictimInTheCgroupWithItsSizeAndNotTheOneOutside() throws Exception {
        try (TestCgroup inside = TestCgroup.create("oom-in"); TestCgroup outside = TestCgroup.create("oom-out");
             MemoryLimit in = MemoryLimit.of(inside, LIMIT); MemoryLimit out = MemoryLimit.of(outside, LIMIT)) {
            long[] victim = new long[1];
            var traced = Traces.around("oomkill", Map.of(), TargetFilter.cgroups(Set.of(inside.id())), () -> {
                Process o = outside.start(Workloads.kgwork(), "oom", out.joinPath().toString(), "256");
                Process p = inside.start(Workloads.kgwork(), "oom", in.joinPath().toString(), "256");
                victim[0] = p.pid();
                try {
                    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(o.waitFor(60, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // the kernel's OOM killer sends SIGKILL
                assertThat(p.exitValue()).isEqualTo(137);
                assertThat(o.exitValue()).isEqualTo(137);
            });
            assertThat(traced.result().events()).singleElement().satisfies(e -> {
                assertThat(e.get("pid")).isEqualTo(victim[0]);
                assertThat(e.get("comm")).isEqualTo("kgwork");
                assertThat(e.get("cgroupId")).isEqualTo(inside.id());
                // resident when killed: about the limit (32 MiB = 8192 pages), the binary and libc included
                assertThat((Long) e.get("rssPages")).isBetween(4096L, 9216L);
                assertThat((Long) e.get("totalVmPages")).isGreaterThanOrEqualTo((Long) e.get("rssPages"));
            });
        }
    }
}
