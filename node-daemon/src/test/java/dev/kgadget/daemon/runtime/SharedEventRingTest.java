package dev.kgadget.daemon.runtime;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event gadgets of one runtime write to one ring (the daemon's memory does not grow by a
 * ring per event job), and each run still gets exactly its own events.
 */
class SharedEventRingTest {
    /** A ring size no other mapping of this JVM has: its mappings can be counted in /proc/self/maps. */
    private static final int RING = 2 << 20;

    @Test
    void threeEventRunsShareOneRingAndEachGetsOnlyItsOwnEvents() throws Exception {
        GadgetRuntime runtime = new GadgetRuntime(RING);
        Path file = Files.createTempFile("kgadget-ring", ".txt");
        try (TestCgroup a = TestCgroup.create("ring-a"); TestCgroup b = TestCgroup.create("ring-b")) {
            GadgetRun execA = start(runtime, "execsnoop", a);
            GadgetRun execB = start(runtime, "execsnoop", b);
            GadgetRun openB = start(runtime, "opensnoop", b);
            try {
                assertThat(ringMappings()).as("ring mappings while three event runs go").isEqualTo(1);
                a.run(Workloads.kgwork(), "exec", "3", "/bin/true");
                b.run(Workloads.kgwork(), "exec", "5", "/bin/echo", "b");
                b.run(Workloads.kgwork(), "open", "7", file.toString());
            } finally {
                execA.cancel();
                execB.cancel();
                openB.cancel();
            }
            GadgetResult ra = execA.await();
            GadgetResult rb = execB.await();
            GadgetResult ob = openB.await();

            assertThat(execs(ra, "/bin/true")).hasSize(3);
            assertThat(execs(ra, "/bin/echo")).isEmpty();
            assertThat(ra.events()).allSatisfy(e -> {
                assertThat(e.get("cgroupId")).isEqualTo(a.id());
                assertThat(e.get("args")).as("an exec event, not an open decoded as one").isNotNull();
            });
            assertThat(execs(rb, "/bin/echo")).hasSize(5);
            assertThat(execs(rb, "/bin/true")).isEmpty();
            assertThat(rb.events()).allSatisfy(e -> assertThat(e.get("cgroupId")).isEqualTo(b.id()));
            assertThat(ob.events().stream().filter(e -> file.toString().equals(e.get("path")))).hasSize(7);
            assertThat(ob.events()).allSatisfy(e -> {
                assertThat(e.get("cgroupId")).isEqualTo(b.id());
                assertThat(e.get("path")).as("an open event, not an exec decoded as one").isNotNull();
            });
            assertThat(List.of(ra, rb, ob)).allSatisfy(r -> assertThat(r.lostEvents()).isZero());
            assertThat(ringMappings()).as("ring mappings after the last run").isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The CLI makes its ring while it parses its command line: the run uses that one, and frees it as usual. */
    @Test
    void aPreparedRingIsTheOneTheFirstRunUsesAndItIsFreedAfterIt() throws Exception {
        GadgetRuntime runtime = new GadgetRuntime(RING);
        Path file = Files.createTempFile("kgadget-ring", ".txt");
        try (TestCgroup cg = TestCgroup.create("ring-prepared")) {
            runtime.prepareEvents();
            runtime.prepareEvents(); // once is enough; a second call changes nothing
            assertThat(ringMappings()).as("ring mappings before any run").isEqualTo(1);
            GadgetRun open = start(runtime, "opensnoop", cg);
            try {
                assertThat(ringMappings()).as("ring mappings while the run goes").isEqualTo(1);
                cg.run(Workloads.kgwork(), "open", "9", file.toString());
            } finally {
                open.cancel();
            }
            GadgetResult r = open.await();

            assertThat(r.events().stream().filter(e -> file.toString().equals(e.get("path")))).hasSize(9);
            assertThat(r.lostEvents()).isZero();
            assertThat(ringMappings()).as("ring mappings after the run").isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static GadgetRun start(GadgetRuntime runtime, String gadget, TestCgroup cg) {
        GadgetDescriptor d = GadgetCatalog.require(gadget);
        return runtime.start(new GadgetRequest(d, GadgetParams.of(d, Map.of()), Duration.ofMinutes(5),
                TargetFilter.cgroups(Set.of(cg.id())), 1000, false), EventSink.DISCARD);
    }

    private static List<EventRecord> execs(GadgetResult r, String filename) {
        return r.events().stream().filter(e -> filename.equals(e.get("filename"))).toList();
    }

    /** This process's mappings of a ring's data area (the page before it, then RING bytes). */
    private static long ringMappings() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("bpf-map"))
                .filter(l -> {
                    String[] range = l.substring(0, l.indexOf(' ')).split("-");
                    return Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16) == RING + 4096L;
                })
                .count();
    }
}
