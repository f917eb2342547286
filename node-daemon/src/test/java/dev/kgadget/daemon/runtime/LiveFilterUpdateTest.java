package dev.kgadget.daemon.runtime;

import dev.kgadget.api.result.EventRecord;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Traces;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Containers come and go during a job: the in-kernel filter follows without a reload. */
class LiveFilterUpdateTest {
    @Test
    void addingAndRemovingCgroupsWhileRunningChangesWhatIsTraced() throws Exception {
        Path file = Files.createTempFile("kgadget-filter", ".txt");
        String path = file.toString();
        List<EventRecord> events = new CopyOnWriteArrayList<>();
        try (TestCgroup a = TestCgroup.create("filter-a"); TestCgroup b = TestCgroup.create("filter-b");
             GadgetRun run = Traces.start("opensnoop", Map.of(), TargetFilter.cgroups(Set.of(a.id())), events)) {
            b.run(Workloads.kgwork(), "open", "11", path);           // b not yet traced
            run.updateFilter(Set.of(a.id(), b.id()));
            b.run(Workloads.kgwork(), "open", "13", path);           // traced now
            run.updateFilter(Set.of(a.id()));
            b.run(Workloads.kgwork(), "open", "17", path);           // no longer
            a.run(Workloads.kgwork(), "open", "19", path);           // a all along
            run.cancel();
            var result = run.await();
            assertThat(count(result.events(), path, b.id())).isEqualTo(13);
            assertThat(count(result.events(), path, a.id())).isEqualTo(19);
            assertThatThrownBy(() -> run.updateFilter(Set.of())).isInstanceOf(IllegalStateException.class);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Past {@link CgroupFilter#FEW} ids the programs stop at the list's "too many" and ask the
     * hash; back under it, the list alone decides. Either way, exactly the set is traced.
     */
    @Test
    void setsLargerThanTheKernelsShortListAreFilteredThroughTheHash() throws Exception {
        Path file = Files.createTempFile("kgadget-filter", ".txt");
        String path = file.toString();
        List<EventRecord> events = new CopyOnWriteArrayList<>();
        Set<Long> many = new HashSet<>();
        for (long i = 0; i < CgroupFilter.FEW; i++) {
            many.add(Long.MAX_VALUE - i); // ids no cgroup has
        }
        try (TestCgroup a = TestCgroup.create("filter-many-a"); TestCgroup b = TestCgroup.create("filter-many-b")) {
            many.add(a.id());
            try (GadgetRun run = Traces.start("opensnoop", Map.of(), TargetFilter.cgroups(many), events)) {
                a.run(Workloads.kgwork(), "open", "7", path);            // a among 9: traced
                b.run(Workloads.kgwork(), "open", "5", path);            // not
                Set<Long> more = new HashSet<>(many);
                more.add(b.id());
                run.updateFilter(more);
                b.run(Workloads.kgwork(), "open", "3", path);            // b among 10: traced
                run.updateFilter(Set.of(b.id()));
                a.run(Workloads.kgwork(), "open", "11", path);           // the list alone: a is out
                b.run(Workloads.kgwork(), "open", "2", path);            // b in
                run.cancel();
                var result = run.await();
                assertThat(count(result.events(), path, a.id())).isEqualTo(7);
                assertThat(count(result.events(), path, b.id())).isEqualTo(5);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long count(List<EventRecord> events, String path, long cgroup) {
        return events.stream().filter(e -> path.equals(e.get("path")) && e.get("cgroupId").equals(cgroup)).count();
    }
}
