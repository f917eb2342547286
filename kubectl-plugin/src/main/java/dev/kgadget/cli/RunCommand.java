package dev.kgadget.cli;

import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.catalog.TraceDuration;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.cli.render.CountTableRenderer;
import dev.kgadget.cli.render.EventTableRenderer;
import dev.kgadget.cli.render.HistogramRenderer;
import dev.kgadget.cli.render.StackRenderer;
import dev.kgadget.cli.render.JsonRenderer;
import dev.kgadget.daemon.runtime.EventSink;
import dev.kgadget.daemon.runtime.GadgetRequest;
import dev.kgadget.daemon.runtime.Preflight;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a gadget on this host for a while and show what it saw.",
        footer = {"", "Examples:",
                "  kgadget run biolatency --duration 30s -p per-disk",
                "  kgadget run execsnoop --cgroup system.slice/nginx.service",
                "  kgadget run syscount -p latency -p top=20 -o json"})
final class RunCommand implements Callable<Integer>, Verbose {
    /**
     * Four times the daemon's ring: printing a row costs more than the daemon's counting, so in a
     * storm the ring is the CLI's buffer. 32 MiB holds about 0.4 s of opensnoop at 1 M opens/s
     * (bench/compare's 200,000-open storm whole); a longer storm loses some (6% of 2 M opens),
     * counted as lost. A short-lived CLI can afford the memory the long-running daemon saves.
     */
    static final int RING_BYTES = 32 << 20;

    @Parameters(index = "0", paramLabel = "<gadget>", description = "what to run; see 'kgadget list'")
    String gadget;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION",
            description = "how long to trace, e.g. 500ms, 30s, 2m (default: 10s, at most 1h)")
    String duration;

    @Option(names = "--cgroup", paramLabel = "PATH",
            description = "trace only tasks in this cgroup v2 (absolute or relative to the cgroup2 mount); repeatable")
    List<String> cgroups = new ArrayList<>();

    @Option(names = "--pid", paramLabel = "PID", description = "trace only this process")
    Integer pid;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME[=VALUE]",
            description = "a gadget parameter, e.g. -p per-disk or -p top=20; repeatable")
    List<String> params = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: text)")
    OutputFormat output;

    @Option(names = "--kernel-cost", description = "measure the gadget's in-kernel cost (\"kernel ns/event\"): turns on"
            + " the kernel's BPF run-time statistics, which add ~25 ns to every BPF program run while on")
    boolean kernelCost;

    @Option(names = "--svg", paramLabel = "FILE", description = "stack gadgets (profile, offcputime): also write the flame graph here")
    java.nio.file.Path svg;

    @Option(names = {"-v", "--verbose"}, description = "on errors, print the stack trace too")
    boolean verbose;

    private final CliEnvironment env;

    RunCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() throws InterruptedException {
        GadgetRequest request = new RunRequestValidator(Path.of("/proc"))
                .validate(gadget, duration, params, cgroups, pid).withKernelCost(kernelCost);
        GadgetDescriptor descriptor = request.gadget();
        StackRenderer.checkSvg(svg, descriptor);
        boolean streamRows = output == OutputFormat.TEXT && descriptor.output() == OutputKind.EVENTS;
        if (streamRows) {
            // every row is printed as it comes: keeping 100,000 decoded events for the result
            // too would only grow the heap (most of the CLI's RSS in an event storm)
            request = request.withMaxKeptEvents(0);
        }
        EventStream stream = streamRows
                ? new EventStream(EventTableRenderer.of(descriptor, env::zone), env.out()) : null;

        if (kernelCost) {
            Preflight.kernelCostUnavailable().ifPresent(why -> env.err().println("kgadget: " + why));
        }
        ActiveRun run = env.launcher().start(request, stream == null ? EventSink.DISCARD : stream);
        // the hook stays until everything is printed: a Ctrl-C meanwhile must not cut the output short
        CancelOnInterrupt interrupt = CancelOnInterrupt.install(run, env.exitGate());
        try {
            try {
                render(collect(run, descriptor.name(), stream), descriptor);
            } finally {
                run.close();
            }
        } finally {
            interrupt.close();
        }
        return 0;
    }

    private GadgetResult collect(ActiveRun run, String gadgetName, EventStream stream) throws InterruptedException {
        ProgressLine progress = ProgressLine.start(gadgetName, run, env.err(), env.interactive() && stream == null);
        try {
            if (stream != null) {
                stream.onClosedOutput(run::cancel);
                stream.header();
            }
            return run.await();
        } finally {
            if (stream != null) {
                stream.endOfBatch(); // the runtime ends with one; a rows-only launcher may not
            }
            progress.close();
        }
    }

    private void render(GadgetResult result, GadgetDescriptor descriptor) {
        PrintStream out = env.out();
        PrintStream err = env.err();
        if ("cancelled".equals(result.stopReason())) {
            err.println("Ended early after " + TraceDuration.format(Duration.ofMillis(result.durationMs()))
                    + "; showing what was collected until then.");
        }
        if (output == OutputFormat.JSON) {
            new JsonRenderer().render(result, out);
        } else {
            switch (descriptor.output()) {
                case HISTOGRAM -> new HistogramRenderer().render(result, out);
                case COUNTS -> new CountTableRenderer().render(result, out);
                case EVENTS -> err.println(EventTableRenderer.streamedSummary(result));
                case STACKS -> {
                    StackRenderer.render(result, out);
                    err.println(StackRenderer.summary(result));
                }
            }
        }
        if (svg != null) {
            String unit = dev.kgadget.api.stacks.FoldedStacks.unit(descriptor.name());
            StackRenderer.writeSvg(svg, StackRenderer.folded(result.counts()), descriptor.name() + " (" + unit + ")", unit);
            err.println("flame graph: " + svg);
        }
        out.flush();
        err.flush();
    }
}
