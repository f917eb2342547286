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
 * A loopback client and server in one test cgroup (5 IPv4 connections of 1000 bytes each way,
 * 3 IPv6 ones of 100), and the same traffic outside it at the same time.
 */
class TcpTest {
    private static Traces.Traced traffic(String gadget, TestCgroup inside, TestCgroup outside) {
        return Traces.around(gadget, Map.of(), TargetFilter.cgroups(Set.of(inside.id())), () -> {
            Process out = outside.start(Workloads.kgwork(), "tcp", "7", "1000", "4");
            inside.run(Workloads.kgwork(), "tcp", "5", "1000", "4");
            inside.run(Workloads.kgwork(), "tcp", "3", "100", "6");
            TestCgroup.waitOk(out, "outside workload");
        });
    }

    @Test
    void tcpconnectReportsEachConnectOfTheCgroupWithItsAddresses() {
        try (TestCgroup in = TestCgroup.create("tcpc-in"); TestCgroup out = TestCgroup.create("tcpc-out")) {
            List<EventRecord> events = traffic("tcpconnect", in, out).result().events();
            assertThat(events).hasSize(8).allSatisfy(e -> {
                assertThat(e.get("comm")).isEqualTo("kgwork");
                assertThat((Long) e.get("pid")).isPositive();
                assertThat(e.get("cgroupId")).isEqualTo(in.id());
            });
            assertThat(events).filteredOn(e -> e.get("ip").equals(4)).hasSize(5).allSatisfy(e -> {
                assertThat(e.get("laddr")).isEqualTo("127.0.0.1");
                assertThat(e.get("raddr")).isEqualTo("127.0.0.1");
            });
            // one server per kgwork run: two remote ports
            assertThat(events.stream().map(e -> e.get("rport")).distinct()).hasSize(2);
            assertThat(events).filteredOn(e -> e.get("ip").equals(6)).hasSize(3)
                    .allSatisfy(e -> assertThat(e.get("raddr")).isEqualTo("0:0:0:0:0:0:0:1"));
        }
    }

    @Test
    void tcpacceptReportsEachHandshakeOnTheCgroupsListener() {
        try (TestCgroup in = TestCgroup.create("tcpa-in"); TestCgroup out = TestCgroup.create("tcpa-out")) {
            List<EventRecord> events = traffic("tcpaccept", in, out).result().events();
            assertThat(events).hasSize(8).allSatisfy(e -> {
                assertThat(e.get("cgroupId")).isEqualTo(in.id());
                // the process that called listen() (kgwork's parent, before it forked the accepting child)
                assertThat(e.get("comm")).isEqualTo("kgwork");
                assertThat((Long) e.get("pid")).isPositive();
            });
            // each accepted connection's local port is its listener's; the client's is ephemeral
            assertThat(events).filteredOn(e -> e.get("ip").equals(4)).hasSize(5);
            assertThat(events.stream().map(e -> e.get("lport")).distinct()).hasSize(2);
        }
    }

    @Test
    void tcplifeReportsBothEndsOfEachConnectionWithExactBytes() {
        try (TestCgroup in = TestCgroup.create("tcpl-in"); TestCgroup out = TestCgroup.create("tcpl-out")) {
            List<EventRecord> events = traffic("tcplife", in, out).result().events();
            assertThat(events).hasSize(16).allSatisfy(e -> {
                assertThat(e.get("cgroupId")).isEqualTo(in.id());
                assertThat(e.get("comm")).isEqualTo("kgwork");
                assertThat((Double) e.get("ms")).isGreaterThan(0.0);
            });
            // both ends of each connection: the same two addresses, ports crossed
            assertThat(events).filteredOn(e -> e.get("ip").equals(4)).allSatisfy(e -> {
                assertThat(e.get("laddr")).isEqualTo("127.0.0.1");
                assertThat((Integer) e.get("lport")).isPositive();
                assertThat((Integer) e.get("rport")).isPositive();
            });
            assertThat(events).filteredOn(e -> e.get("ip").equals(6))
                    .allSatisfy(e -> assertThat(e.get("laddr")).isEqualTo("0:0:0:0:0:0:0:1"));
            // an echo: each end sent and received the same bytes
            assertThat(events).filteredOn(e -> e.get("ip").equals(4)).hasSize(10)
                    .allSatisfy(e -> assertThat(e).extracting(x -> x.get("txBytes"), x -> x.get("rxBytes")).containsExactly(1000L, 1000L));
            assertThat(events).filteredOn(e -> e.get("ip").equals(6)).hasSize(6)
                    .allSatisfy(e -> assertThat(e).extracting(x -> x.get("txBytes"), x -> x.get("rxBytes")).containsExactly(100L, 100L));
            // the client's end and the server's (a forked child) carry different processes
            assertThat(events.stream().map(e -> e.get("pid")).distinct().count()).isEqualTo(4);
        }
    }
}
