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

/**
 * Retransmits induced for real, with no packet filter: a loopback listener that never accepts
 * (backlog 0) has its queue filled by one connection, so the kernel drops the next one's SYNs
 * and that client retries them. (This machine has neither iptables nor tc qdiscs to drop
 * packets with.) The same runs outside the cgroup at the same time; only the inside client's
 * retries are reported, attributed to its socket's cgroup although they happen in timer context.
 */
class TcpretransTest {
    @Test
    void reportsTheSynRetriesOfTheCgroupsSocketOnly() {
        try (TestCgroup inside = TestCgroup.create("retr-in"); TestCgroup outside = TestCgroup.create("retr-out")) {
            var traced = Traces.around("tcpretrans", Map.of(), TargetFilter.cgroups(Set.of(inside.id())), () -> {
                Process o = outside.start(Workloads.kgwork(), "backlog", "2500");
                inside.run(Workloads.kgwork(), "backlog", "2500");
                TestCgroup.waitOk(o, "outside workload");
            });
            List<EventRecord> events = traced.result().events();
            // the initial SYN timeout is 1 s, then 2 s: within 2.5 s one retry (two on a slow machine)
            assertThat(events).hasSizeBetween(1, 2).allSatisfy(e -> {
                assertThat(e.get("raddr")).isEqualTo("127.0.0.1");
                assertThat(e.get("laddr")).isEqualTo("127.0.0.1");
                assertThat(e.get("state")).isEqualTo("SYN_SENT");
                assertThat(e.get("cgroupId")).isEqualTo(inside.id());
            });
            assertThat(events.stream().map(e -> e.get("rport")).distinct()).hasSize(1);
        }
    }
}
