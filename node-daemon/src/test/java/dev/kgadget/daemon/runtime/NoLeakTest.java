package dev.kgadget.daemon.runtime;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.daemon.libbpf.LoadedPrograms;
import dev.kgadget.daemon.libbpf.ProgramStats;
import dev.kgadget.daemon.testing.TemporaryProperty;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every way a run can end leaves none of our programs in the kernel. The kernel's own list
 * of loaded programs is the judge (kgadget names every program kg_...).
 */
class NoLeakTest {
    @BeforeEach
    void nothingOfOursLoaded() {
        assertNoneLoaded();
    }

    @AfterEach
    void stillNothingLoaded() {
        assertNoneLoaded();
    }

    static void assertNoneLoaded() {
        // program release after the last fd closes is deferred to an RCU grace period
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(LoadedPrograms.named("kg_")).extracting(ProgramStats.Info::name).isEmpty());
    }

    private static GadgetRun start(String gadget, Duration duration, EventSink sink) {
        return start(gadget, duration, sink, true);
    }

    private static GadgetRun start(String gadget, Duration duration, EventSink sink, boolean kernelCost) {
        GadgetDescriptor d = GadgetCatalog.require(gadget);
        return new GadgetRuntime().start(new GadgetRequest(d, GadgetParams.of(d, Map.of()), duration,
                TargetFilter.everything(), 1000, kernelCost), sink);
    }

    @Test
    void whileRunningOurProgramsAreLoadedAndAfterTheDurationTheyAreGone() throws Exception {
        for (GadgetDescriptor d : GadgetCatalog.all()) {
            GadgetRun run = start(d.name(), Duration.ofMillis(300), EventSink.DISCARD);
            assertThat(LoadedPrograms.named("kg_")).isNotEmpty();
            assertThat(run.await().stopReason()).isEqualTo("completed");
            assertNoneLoaded();
        }
    }

    @Test
    void cancelReleasesEverything() throws Exception {
        GadgetRun run = start("runqlat", Duration.ofMinutes(10), EventSink.DISCARD);
        run.cancel();
        assertThat(run.await().stopReason()).isEqualTo("cancelled");
    }

    @Test
    void anExceptionWhileCollectingReleasesEverythingAndIsReported() throws Exception {
        Path file = Files.createTempFile("kgadget-leak", ".txt");
        try (TestCgroup cg = TestCgroup.create("leak")) {
            GadgetRun run = start("opensnoop", Duration.ofMinutes(10), e -> {
                throw new IllegalStateException("sink exploded");
            });
            cg.run(Workloads.kgwork(), "open", "10", file.toString());
            assertThatThrownBy(run::await).isInstanceOf(GadgetException.class).hasMessageContaining("sink exploded");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void closingARunThatIsStillCollectingReleasesEverything() {
        try (GadgetRun run = start("execsnoop", Duration.ofMinutes(10), EventSink.DISCARD)) {
            assertThat(run.isDone()).isFalse();
        }
    }

    @SuppressWarnings("try") // the property is scoped to the try block; nothing reads the guard
    @Test
    void aFailureAfterOpeningReleasesTheObject() throws Exception {
        // A BTF that lacks every tracepoint makes the hook check fail after the object is opened.
        Path foreignBtf = Path.of(System.getProperty("kgadget.testDir", "target"))
                .resolveSibling("../bpf/target/classes/kgadget/bpf/bench.bpf.o").normalize();
        assertThat(foreignBtf).exists();
        try (var btf = TemporaryProperty.set(Preflight.BTF_PROPERTY, foreignBtf.toString())) {
            assertThatThrownBy(() -> start("biolatency", Duration.ofSeconds(1), EventSink.DISCARD))
                    .isInstanceOf(GadgetException.class)
                    .hasMessage("gadget biolatency needs the kernel tracepoint(s) block_io_start, block_rq_complete,"
                            + " block_rq_issue, which this kernel (" + System.getProperty("os.version") + ") does not have");
        }
    }

    @SuppressWarnings("try") // the property is scoped to the try block; nothing reads the guard
    @Test
    void aKernelWithoutBtfIsToldSo() {
        try (var btf = TemporaryProperty.set(Preflight.BTF_PROPERTY, "/nonexistent/vmlinux")) {
            assertThatThrownBy(() -> start("runqlat", Duration.ofSeconds(1), EventSink.DISCARD))
                    .isInstanceOf(GadgetException.class)
                    .hasMessageStartingWith("this kernel exposes no BTF at /nonexistent/vmlinux; ");
        }
    }

    /** The statistics cost every BPF program on the host a clock read pair per run: only on request. */
    @Test
    void kernelStatisticsStayOffUnlessAskedFor() throws Exception {
        Path sysctl = Path.of("/proc/sys/kernel/bpf_stats_enabled");
        org.junit.jupiter.api.Assumptions.assumeTrue("0".equals(Files.readString(sysctl).trim()),
                "bpf_stats_enabled is on host-wide: nothing to tell apart");
        var result = start("syscount", Duration.ofMillis(300), EventSink.DISCARD, false).await();
        assertThat(result.programs()).extracting(p -> p.program()).containsExactly("kg_sc_exit");
        assertThat(result.programs().get(0).runCount()).isZero();
        assertThat(List.copyOf(result.counts())).as("the gadget itself still counts").isNotEmpty();
        assertThat(Files.readString(sysctl).trim()).isEqualTo("0");
    }

    @Test
    void everyProgramCostIsReported() throws Exception {
        GadgetRun run = start("syscount", Duration.ofMillis(500), EventSink.DISCARD);
        var result = run.await();
        assertThat(result.programs()).extracting(p -> p.program()).containsExactly("kg_sc_exit");
        assertThat(result.programs().get(0).runCount()).isPositive();
        assertThat(result.programs().get(0).runTimeNs()).isPositive();
        assertThat(result.kernelNsPerEvent()).isPositive();
        assertThat(List.copyOf(result.counts())).isNotEmpty();
        assertThat(Set.of(result.stopReason())).containsExactly("completed");
    }
}
