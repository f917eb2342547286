package dev.kgadget.daemon.runtime;

import dev.kgadget.api.result.EventRecord;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Traces;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
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

    private static long count(List<EventRecord> events, String path, long cgroup) {
        return events.stream().filter(e -> path.equals(e.get("path")) && e.get("cgroupId").equals(cgroup)).count();
    }
}
