package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.daemon.runtime.TargetFilter;
import dev.kgadget.daemon.testing.TestCgroup;
import dev.kgadget.daemon.testing.Traces;
import dev.kgadget.daemon.testing.Workloads;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ExecsnoopTest {
    private static final int N = 40;

    @Test
    void reportsEveryExecInsideTheCgroupAndNoneOutside() {
        try (TestCgroup inside = TestCgroup.create("exec-in"); TestCgroup outside = TestCgroup.create("exec-out")) {
            var traced = Traces.around("execsnoop", Map.of(), TargetFilter.cgroups(Set.of(inside.id())), () -> {
                Process out = outside.start(Workloads.kgwork(), "exec", Integer.toString(N), "/bin/echo", "outside");
                inside.run(Workloads.kgwork(), "exec", Integer.toString(N), "/bin/echo", "alpha", "beta gamma");
                inside.run(Workloads.kgwork(), "exec", "3", "/nonexistent/kgadget-binary");
                TestCgroup.waitOk(out, "outside workload");
            });

            List<EventRecord> echo = traced.result().events().stream()
                    .filter(e -> "/bin/echo".equals(e.get("filename"))).toList();
            assertThat(echo).hasSize(N);
            assertThat(echo).allSatisfy(e -> {
                assertThat(e.get("args")).isEqualTo(List.of("/bin/echo", "alpha", "beta gamma"));
                assertThat(e.get("ret")).isEqualTo(0);
                assertThat(e.get("cgroupId")).isEqualTo(inside.id());
                assertThat(e.get("comm")).isEqualTo("echo");
                assertThat(e.get("argsTruncated")).isEqualTo(false);
            });
            // every exec comes from the one kgwork parent, which itself was exec'd in the cgroup
            long parent = (Long) echo.get(0).get("ppid");
            assertThat(echo).allSatisfy(e -> assertThat(e.get("ppid")).isEqualTo(parent));

            List<EventRecord> failed = traced.result().events().stream()
                    .filter(e -> "/nonexistent/kgadget-binary".equals(e.get("filename"))).toList();
            assertThat(failed).hasSize(3).allSatisfy(e -> assertThat(e.get("ret")).isEqualTo(-2));

            assertThat(traced.result().events()).noneMatch(e -> ((List<?>) e.get("args")).contains("outside"));
            assertThat(traced.result().events()).allSatisfy(e -> assertThat(e.get("cgroupId")).isEqualTo(inside.id()));
            assertThat(traced.streamed()).hasSameSizeAs(traced.result().events());
            assertThat(traced.result().lostEvents()).isZero();
            assertThat(traced.result().programs()).allSatisfy(p -> assertThat(p.runCount()).isPositive());
        }
    }

    @Test
    void failedOnlyKeepsOnlyFailures() {
        try (TestCgroup cg = TestCgroup.create("exec-fail")) {
            var traced = Traces.around("execsnoop", Map.of("failed-only", "true"), TargetFilter.cgroups(Set.of(cg.id())), () -> {
                cg.run(Workloads.kgwork(), "exec", "5", "/bin/true");
                cg.run(Workloads.kgwork(), "exec", "4", "/nonexistent/kgadget-binary");
            });
            assertThat(traced.result().events()).hasSize(4)
                    .allSatisfy(e -> assertThat(e.get("ret")).isEqualTo(-2));
        }
    }

    @Test
    void boundsArgumentsAndSaysSo() {
        try (TestCgroup cg = TestCgroup.create("exec-args")) {
            var traced = Traces.around("execsnoop", Map.of("max-args", "3"), TargetFilter.cgroups(Set.of(cg.id())), () ->
                    cg.run(Workloads.kgwork(), "exec", "1", "/bin/echo", "a", "b", "c", "d"));
            EventRecord e = traced.result().events().stream()
                    .filter(r -> "/bin/echo".equals(r.get("filename"))).findFirst().orElseThrow();
            assertThat(e.get("args")).isEqualTo(List.of("/bin/echo", "a", "b"));
            assertThat(e.get("argsTruncated")).isEqualTo(true);
        }
    }

    /** A repeated command line is the last event's list again (nothing allocated); any changed argument makes a new one. */
    @Test
    void aRepeatedCommandLineReusesItsListAndAChangedOneDoesNot() {
        Execsnoop.Decoder decoder = new Execsnoop.Decoder();
        EventBuffer into = new EventBuffer();
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

        Object first = argsOf(decoder, into, record("sh", "-c", "true"));
        ByteBuffer again = record("sh", "-c", "true");
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            decoder.decode(again, 0, again.limit(), into.clear());
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        Object changed = argsOf(decoder, into, record("sh", "-c", "false"));
        Object shorter = argsOf(decoder, into, record("sh", "-c"));

        assertThat(first).isEqualTo(List.of("sh", "-c", "true"));
        assertThat(argsOf(decoder, into, record("sh", "-c", "true"))).isNotSameAs(first).isEqualTo(first);
        assertThat(changed).isEqualTo(List.of("sh", "-c", "false"));
        assertThat(shorter).isEqualTo(List.of("sh", "-c"));
        assertThat(allocated).as("bytes for 10,000 decodings of one command line").isBetween(0L, 1024L);
    }

    private static Object argsOf(Execsnoop.Decoder decoder, EventBuffer into, ByteBuffer record) {
        decoder.decode(record, 0, record.limit(), into.clear());
        assertThat(into.object(into.indexOf("filename"))).isEqualTo("sh");
        assertThat(into.number(into.indexOf("pid"))).isEqualTo(4_000_000_000L);
        return into.object(into.indexOf("args"));
    }

    /** struct kg_exec_event (bpf/include/gadgets.h), cut after its arguments as the BPF side submits it. */
    private static ByteBuffer record(String... args) {
        byte[] joined = (String.join("\0", args) + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(64 + joined.length).order(ByteOrder.nativeOrder());
        b.putLong(0, 1_000_000_000L).putLong(8, 77).putInt(16, (int) 4_000_000_000L).putInt(20, 1).putInt(24, 0)
                .putInt(28, 0).putInt(32, args.length).putInt(36, joined.length).putInt(40, 0);
        b.put(48, "sh".getBytes(StandardCharsets.UTF_8));
        b.put(64, joined);
        return b;
    }
}
