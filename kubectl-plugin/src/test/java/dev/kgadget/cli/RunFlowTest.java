package dev.kgadget.cli;

import dev.kgadget.api.catalog.GadgetCatalog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.EventBuffer;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.cli.render.HistogramRenderer;
import dev.kgadget.cli.render.JsonRenderer;
import dev.kgadget.cli.render.Results;
import dev.kgadget.daemon.cgroup.CgroupV2;
import dev.kgadget.daemon.runtime.GadgetException;
import dev.kgadget.daemon.runtime.GadgetRequest;
import dev.kgadget.daemon.runtime.TargetFilter;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kgadget.daemon.testing.TemporaryProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The run flow with the kernel replaced by a prepared result. */
class RunFlowTest {
    private final List<GadgetRequest> requests = new ArrayList<>();
    private FakeRun run;

    private GadgetLauncher returning(GadgetResult result) {
        return (request, sink) -> {
            requests.add(request);
            run = new FakeRun(result, request.duration());
            return run;
        };
    }

    @Test
    void histogramRunPrintsTheHistogramAndReleasesTheGadget() {
        GadgetResult result = Results.biolatency();
        Cli.Outcome outcome = Cli.run(returning(result), "run", "biolatency", "--duration", "2s", "-p", "queued");

        assertThat(outcome.code()).isZero();
        StringBuilder expected = new StringBuilder();
        new HistogramRenderer().render(result, expected);
        assertThat(outcome.out()).isEqualTo(expected.toString());
        assertThat(outcome.err()).isEqualTo("Tracing block I/O latency for 2s. Ctrl-C to end early.\n");
        assertThat(run.closed).isTrue();

        GadgetRequest request = requests.get(0);
        assertThat(request.gadget().name()).isEqualTo("biolatency");
        assertThat(request.duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(request.params().bool("queued")).isTrue();
        assertThat(request.params().bool("per-disk")).isFalse();
        assertThat(request.filter()).isEqualTo(TargetFilter.everything());
        assertThat(request.maxKeptEvents()).isEqualTo(GadgetRequest.DEFAULT_MAX_KEPT_EVENTS);
    }

    @Test
    void jsonIsTheOnlyThingOnStdout() throws Exception {
        GadgetResult result = Results.biolatency();
        Cli.Outcome outcome = Cli.run(returning(result), "run", "biolatency", "-o", "json");

        assertThat(outcome.code()).isZero();
        assertThat(outcome.out()).isEqualTo(new JsonRenderer().toJson(result) + "\n");
        JsonNode doc = JsonRenderer.mapper().readTree(outcome.out());
        assertThat(doc.get("gadget").asText()).isEqualTo("biolatency");
        assertThat(doc.get("histograms").get(0).get("count").asLong()).isEqualTo(298);
        assertThat(outcome.err()).contains("Tracing block I/O latency for 10s");
    }

    @Test
    void eventsAreStreamedUnderAHeaderAndSummedUpOnStderr() {
        List<EventRecord> events = List.of(
                new EventRecord(fields("time", Instant.parse("2024-05-01T10:15:30.123Z"), "pid", 812, "comm", "cat",
                        "fd", 3, "err", 0, "flags", "O_RDONLY", "path", "/etc/hosts")),
                new EventRecord(fields("time", Instant.parse("2024-05-01T10:15:30.200Z"), "pid", 812, "comm", "cat",
                        "fd", -1, "err", 2, "flags", "O_RDONLY", "path", "/nope")));
        GadgetResult result = Results.events("opensnoop", events, 2, 0);
        // events arrive on the sink before start() returns, as they may with the real runtime
        GadgetLauncher launcher = (request, sink) -> {
            events.forEach(e -> sink.onEvent(new EventBuffer().load(e)));
            run = new FakeRun(result, request.duration());
            return run;
        };
        Cli.Outcome outcome = Cli.run(launcher, "run", "opensnoop", "--pid", Long.toString(ProcessHandle.current().pid()));

        assertThat(outcome.code()).isZero();
        assertThat(outcome.out()).isEqualTo("""
                TIME             PID COMM               FD ERR FLAGS      PATH
                10:15:30.123     812 cat                 3   0 O_RDONLY   /etc/hosts
                10:15:30.200     812 cat                -1   2 O_RDONLY   /nope
                """);
        assertThat(outcome.err()).isEqualTo("Tracing open()s for 10s. Ctrl-C to end early.\n"
                + "events 2  lost 0  kernel - ns/event\n");
    }

    /** Streamed rows need no kept copy; JSON prints the kept events, and --kernel-cost is opt-in. */
    @Test
    void textRunsKeepNoEventsJsonRunsDoAndKernelCostIsAskedFor() {
        Cli.run(returning(Results.events("execsnoop", List.of(), 0, 0)), "run", "execsnoop");
        Cli.run(returning(Results.events("execsnoop", List.of(), 0, 0)), "run", "execsnoop", "-o", "json",
                "--kernel-cost");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).maxKeptEvents()).isZero();
        assertThat(requests.get(0).kernelCost()).isFalse();
        assertThat(requests.get(1).maxKeptEvents()).isEqualTo(GadgetRequest.DEFAULT_MAX_KEPT_EVENTS);
        assertThat(requests.get(1).kernelCost()).isTrue();
    }

    @Test
    void anEventGadgetWithoutEventsStillPrintsItsHeader() {
        Cli.Outcome outcome = Cli.run(returning(Results.events("execsnoop", List.of(), 0, 0)), "run", "execsnoop");
        assertThat(outcome.out()).startsWith("TIME         PCOMM").hasLineCount(1);
    }

    @Test
    void countsShowTheTopRows() {
        GadgetResult result = Results.counts(Map.of("top", 1L),
                List.of(new CountRow("read", null, 5, null), new CountRow("write", null, 7, null)), List.of());
        Cli.Outcome outcome = Cli.run(returning(result), "run", "syscount", "-p", "top=1");
        assertThat(outcome.code()).isZero();
        assertThat(outcome.out()).isEqualTo("""
                SYSCALL                     COUNT
                write                           7

                count 12  rows 1 of 2  lost 0  kernel - ns/event
                """);
    }

    @Test
    void aRunEndedByCtrlCShowsItsPartialResultAndSucceeds() {
        GadgetResult partial = new GadgetResult("biolatency", Map.of(), Results.STARTED, 3_250, "cancelled",
                OutputKind.HISTOGRAM, Results.biolatency().histograms(), List.of(), List.of(), 0, 0, List.of());
        Cli.Outcome outcome = Cli.run(returning(partial), "run", "biolatency");
        assertThat(outcome.code()).isZero();
        assertThat(outcome.out()).contains("128 -> 255").contains("count 298");
        assertThat(outcome.err()).contains("Ended early after 3s250ms");
    }

    @SuppressWarnings("try") // the property is scoped to the try block; nothing reads the guard
    @Test
    void cgroupsAndPidBecomeTheKernelFilter(@TempDir Path root) throws Exception {
        Path web = Files.createDirectories(root.resolve("kubepods/web"));
        Files.createFile(root.resolve("cgroup.procs"));
        Files.createFile(web.resolve("cgroup.procs"));
        try (var property = TemporaryProperty.set(CgroupV2.ROOT_PROPERTY, root.toString())) {
            int self = (int) ProcessHandle.current().pid();
            Cli.Outcome outcome = Cli.run(returning(Results.events("execsnoop", List.of(), 0, 0)), "run", "execsnoop",
                    "--cgroup", "kubepods/web", "--cgroup", web.toString(), "--cgroup", ".", "--pid", Integer.toString(self));
            assertThat(outcome.code()).as(outcome.err()).isZero();
            TargetFilter filter = requests.get(0).filter();
            assertThat(filter.byCgroup()).isTrue();
            assertThat(filter.cgroupIds()).isEqualTo(Set.of(CgroupV2.idOf(web), CgroupV2.idOf(root)));
            assertThat(filter.tgid()).isEqualTo(self);
        }
    }

    @Test
    void aGadgetThatCannotRunIsExitCode3WithOneLine() {
        GadgetLauncher refusing = (request, sink) -> {
            throw new GadgetException("loading eBPF programs needs root; run kgadget with sudo");
        };
        Cli.Outcome outcome = Cli.run(refusing, "run", "runqlat");
        assertThat(outcome.code()).isEqualTo(3);
        assertThat(outcome.out()).isEmpty();
        assertThat(outcome.err()).isEqualTo("kgadget: loading eBPF programs needs root; run kgadget with sudo\n");

        Cli.Outcome verbose = Cli.run(refusing, "run", "runqlat", "-v");
        assertThat(verbose.code()).isEqualTo(3);
        assertThat(verbose.err()).startsWith("kgadget: loading eBPF programs needs root; run kgadget with sudo\n")
                .contains("GadgetException", "\tat ");
    }

    @Test
    void aRunThatFailsMidwayIsReleasedAndReported() {
        GadgetLauncher failing = (request, sink) -> {
            run = new FakeRun(null, new GadgetException("the ring buffer could not be read: EBADF"), request.duration());
            return run;
        };
        Cli.Outcome outcome = Cli.run(failing, "run", "execsnoop");
        assertThat(outcome.code()).isEqualTo(3);
        assertThat(outcome.err()).endsWith("kgadget: the ring buffer could not be read: EBADF\n");
        assertThat(run.closed).isTrue();
    }

    @Test
    void aBugIsExitCode1WithoutAStackTraceUnlessVerbose() {
        GadgetLauncher buggy = (request, sink) -> {
            throw new IllegalStateException("oops");
        };
        Cli.Outcome outcome = Cli.run(buggy, "run", "runqlat");
        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.err()).isEqualTo(
                "kgadget: internal error: java.lang.IllegalStateException: oops (run with -v for the stack trace)\n");
    }

    @Test
    void listShowsTheCatalog() throws Exception {
        Cli.Outcome text = Cli.run(Cli.NO_KERNEL, "list");
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("biolatency  histogram", "symptom: ", "-p per-disk", "syscount");
        Cli.Outcome json = Cli.run(Cli.NO_KERNEL, "list", "-o", "json");
        assertThat(JsonRenderer.mapper().readTree(json.out()).size()).isEqualTo(GadgetCatalog.all().size()).isEqualTo(13);
    }

    @Test
    void helpAndVersionSucceed() {
        assertThat(Cli.run(Cli.NO_KERNEL, "--help").out()).contains("Usage: kgadget", "run", "list");
        assertThat(Cli.run(Cli.NO_KERNEL, "run", "--help").out()).contains("--duration", "--cgroup", "--pid");
        Cli.Outcome version = Cli.run(Cli.NO_KERNEL, "--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("kgadget ");
    }

    private static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
