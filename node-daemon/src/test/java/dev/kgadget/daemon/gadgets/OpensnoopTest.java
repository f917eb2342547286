package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.result.EventRecord;
import dev.kgadget.daemon.runtime.TargetFilter;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Traces;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class OpensnoopTest {
    private static final int N = 500;

    @Test
    void reportsEveryOpenOfTheUniquePathInsideAndNoneOutside() throws IOException {
        Path file = Files.createTempFile("kgadget-open-", ".txt");
        try (TestCgroup inside = TestCgroup.create("open-in"); TestCgroup outside = TestCgroup.create("open-out")) {
            var traced = Traces.around("opensnoop", Map.of(), TargetFilter.cgroups(Set.of(inside.id())), () -> {
                Process out = outside.start(Workloads.kgwork(), "open", Integer.toString(N), file.toString());
                inside.run(Workloads.kgwork(), "open", Integer.toString(N), file.toString());
                inside.run(Workloads.kgwork(), "openat2", "7", file.toString());
                TestCgroup.waitOk(out, "outside workload");
            });
            List<EventRecord> mine = ofPath(traced.result().events(), file.toString());
            assertThat(mine).hasSize(N + 7);
            assertThat(mine).allSatisfy(e -> {
                assertThat((Integer) e.get("fd")).isGreaterThanOrEqualTo(3);
                assertThat(e.get("err")).isEqualTo(0);
                assertThat(e.get("comm")).isEqualTo("kgwork");
                assertThat(e.get("cgroupId")).isEqualTo(inside.id());
                assertThat((String) e.get("flags")).startsWith("O_RDONLY");
            });
            assertThat(mine.stream().filter(e -> "openat".equals(e.get("syscall")))).hasSize(N);
            assertThat(mine.stream().filter(e -> "openat2".equals(e.get("syscall")))).hasSize(7);
            assertThat(traced.result().events()).allSatisfy(e -> assertThat(e.get("cgroupId")).isEqualTo(inside.id()));
            assertThat(traced.result().lostEvents()).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void failedOnlyShowsTheErrnoAndHidesSuccesses() throws IOException {
        Path file = Files.createTempFile("kgadget-open-", ".txt");
        String missing = "/nonexistent-" + UUID.randomUUID();
        try (TestCgroup cg = TestCgroup.create("open-fail")) {
            var traced = Traces.around("opensnoop", Map.of("failed-only", "true"), TargetFilter.cgroups(Set.of(cg.id())), () -> {
                cg.run(Workloads.kgwork(), "open", "20", file.toString());
                cg.run(Workloads.kgwork(), "open", "9", missing);
            });
            assertThat(ofPath(traced.result().events(), file.toString())).isEmpty();
            assertThat(ofPath(traced.result().events(), missing)).hasSize(9).allSatisfy(e -> {
                assertThat(e.get("err")).isEqualTo(2);
                assertThat(e.get("fd")).isEqualTo(-1);
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Records end with the path's used bytes: a short one exactly, a long one cut at 255 bytes. */
    @Test
    void recordsCarryTheirPathWhateverItsLength() {
        String tiny = "/" + UUID.randomUUID().toString().substring(0, 6);
        String longer = "/nonexistent-" + "p".repeat(290);
        try (TestCgroup cg = TestCgroup.create("open-len")) {
            var traced = Traces.around("opensnoop", Map.of(), TargetFilter.cgroups(Set.of(cg.id())), () -> {
                cg.run(Workloads.kgwork(), "open", "4", tiny);
                cg.run(Workloads.kgwork(), "open", "3", longer);
            });
            assertThat(ofPath(traced.result().events(), tiny)).hasSize(4);
            assertThat(ofPath(traced.result().events(), longer.substring(0, 255))).hasSize(3)
                    .allSatisfy(e -> assertThat(e.get("err")).isEqualTo(36)); // ENAMETOOLONG
            assertThat(traced.result().lostEvents()).isZero();
        }
    }

    static List<EventRecord> ofPath(List<EventRecord> events, String path) {
        return events.stream().filter(e -> path.equals(e.get("path"))).toList();
    }
}
