package dev.kgadget.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.ProgramCost;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class CountTableRendererTest {
    private static String render(GadgetResult result) {
        StringBuilder sb = new StringBuilder();
        new CountTableRenderer().render(result, sb);
        return sb.toString();
    }

    @Test
    void syscallsWithLatencyShowTheTopNMostFrequent() {
        var result = Results.counts(Map.of("latency", true, "per-process", false, "top", 3L),
                List.of(new CountRow("read", null, 152, 3_467_123L), new CountRow("write", null, 98, 1_234_567L),
                        new CountRow("futex", null, 500, 98_765_432L), new CountRow("close", null, 3, 3_000L),
                        new CountRow("epoll_wait", null, 152, 5_000_000L)),
                List.of(new ProgramCost("sys_enter", 1000, 120_000, 0), new ProgramCost("sys_exit", 1000, 120_000, 0)));
        assertThat(render(result)).isEqualTo(Golden.read("counts-syscalls-latency.txt"));
    }

    @Test
    void perProcessCountsWithoutLatency() {
        var result = Results.counts(Map.of("latency", false, "per-process", true, "top", 10),
                List.of(new CountRow("nginx", 1234, 9000, null), new CountRow("bash", 4242, 10, null),
                        new CountRow("postgres", 77, 12_000, null)),
                List.of());
        assertThat(render(result)).isEqualTo(Golden.read("counts-per-process.txt"));
    }

    @Test
    void plainSyscallCounts() {
        var result = Results.counts(Map.of(), List.of(new CountRow("read", null, 2, null)), List.of());
        assertThat(render(result)).isEqualTo("""
                SYSCALL                     COUNT
                read                            2

                count 2  rows 1 of 1  lost 0  kernel - ns/event
                """);
    }
}
