package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.result.Histogram;
import dev.kgadget.daemon.runtime.TargetFilter;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Traces;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BiolatencyTest {
    private static final int N = 300;
    /** The unselected neighbour writes more than three times as much: any leak through the filter is blatant. */
    private static final int OUTSIDE = 1000;
    /*
     * Up to 10% fewer requests than writes were seen in 2 of ~20 full-suite runs right after a
     * build (never in isolation, never with 50k concurrent requests, no missed program runs
     * reported). The suspect is the build's writeback: a write merged into a flusher's request
     * creates no request of its own. settleWriteback() now runs first; until the cause is proven
     * the lower bound still allows it; the upper bound stays N+3.
     */
    private static final long LOW = N - N / 10;
    private static Path insideFile;
    private static Path outsideFile;

    /** Allocated and synced up front: the O_DIRECT writes then overwrite blocks without allocation I/O. */
    @BeforeAll
    static void preallocate() throws IOException {
        insideFile = allocated("inside");
        outsideFile = allocated("outside");
    }

    private static Path allocated(String name) throws IOException {
        Path p = Files.createTempFile(Workloads.diskDir(), "kgadget-bio-" + name, ".dat");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(new byte[64 * 4096]);
            f.getFD().sync();
        }
        return p;
    }

    @BeforeEach
    void settle() {
        Workloads.settleWriteback();
    }

    @AfterAll
    static void remove() throws IOException {
        Files.deleteIfExists(insideFile);
        Files.deleteIfExists(outsideFile);
    }

    @Test
    void countsEveryDirectWriteOfTheCgroupAndNoneOfTheOther() {
        try (TestCgroup inside = TestCgroup.create("bio-in"); TestCgroup outside = TestCgroup.create("bio-out")) {
            var traced = Traces.around("biolatency", Map.of(), TargetFilter.cgroups(Set.of(inside.id())), () -> {
                Process out = outside.start(Workloads.kgwork(), "directio", outsideFile.toString(), Integer.toString(OUTSIDE));
                inside.run(Workloads.kgwork(), "directio", insideFile.toString(), Integer.toString(N));
                TestCgroup.waitOk(out, "outside workload");
            });
            assertThat(traced.result().histograms()).hasSize(1);
            Histogram h = traced.result().histograms().get(0);
            assertThat(h.unit()).isEqualTo("usecs");
            assertThat(h.label()).isEqualTo("all");
            // each 4 KiB O_DIRECT pwrite of preallocated blocks is one request
            assertThat(h.count()).as("programs %s", traced.result().programs()).isBetween(LOW, N + 3L);
            assertThat(h.p50()).isPositive();
        }
    }

    @Test
    void splitsPerDiskAndReportsMilliseconds() throws IOException {
        String disk = diskOf(insideFile);
        try (TestCgroup inside = TestCgroup.create("bio-disk")) {
            var traced = Traces.around("biolatency", Map.of("per-disk", "true", "milliseconds", "true", "queued", "true"),
                    TargetFilter.cgroups(Set.of(inside.id())),
                    () -> inside.run(Workloads.kgwork(), "directio", insideFile.toString(), Integer.toString(N)));
            assertThat(traced.result().histograms()).singleElement().satisfies(h -> {
                assertThat(h.label()).isEqualTo(disk);
                assertThat(h.unit()).isEqualTo("msecs");
                assertThat(h.count()).as("programs %s", traced.result().programs()).isBetween(LOW, N + 3L);
            });
        }
    }

    @Test
    void anEmptyTargetSetTracesNothing() {
        try (TestCgroup inside = TestCgroup.create("bio-none")) {
            var traced = Traces.around("biolatency", Map.of(), TargetFilter.cgroups(Set.of()),
                    () -> inside.run(Workloads.kgwork(), "directio", insideFile.toString(), Integer.toString(N)));
            assertThat(traced.result().histograms()).isEmpty();
        }
    }

    /** The whole-disk name of the block device holding a file, e.g. vda. */
    private static String diskOf(Path file) throws IOException {
        Object dev = Files.getAttribute(file, "unix:dev");
        long d = ((Number) dev).longValue();
        long major = (d >> 8) & 0xfff;
        long minor = (d & 0xff) | ((d >> 12) & 0xfff00);
        Path sys = Path.of("/sys/dev/block/" + major + ":" + minor).toRealPath();
        // a partition's parent directory is its disk
        Path name = Files.exists(sys.resolve("partition")) ? sys.getParent().getFileName() : sys.getFileName();
        return name.toString();
    }
}
