package dev.kgadget.cli.cluster;

import dev.kgadget.cli.ExitCodes;
import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.api.crd.TraceSchedule;
import dev.kgadget.api.crd.TrendEntry;
import dev.kgadget.cli.CliEnvironment;
import dev.kgadget.cli.CliFailure;

import io.fabric8.kubernetes.client.KubernetesClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "results", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a finished TraceJob's result, as 'kubectl gadget run' does: merged across its nodes, or one node's.",
                "Exit codes as for run: 0 Succeeded, 4 PartiallySucceeded, 5 Failed; 3 when the job has not ended yet."},
        footer = {"", "Examples:",
                "  kubectl gadget results runqlat-x7k2p",
                "  kubectl gadget results execsnoop-9qz4m --node worker-2",
                "  kubectl gadget results biolatency-b8c2w --per-node",
                "  kubectl gadget results syscount-4hq8d -o yaml",
                "  kubectl gadget results --schedule db-io         # the schedule's trend",
                "  kubectl gadget results profile-7kq2x --svg cpu.svg  # the flame graph of every node's stacks"})
public final class ResultsCommand extends ClusterCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "JOB", description = "the TraceJob's name")
    String name;

    @Option(names = {"-s", "--schedule"}, paramLabel = "SCHEDULE",
            description = "a TraceSchedule's trend instead: one line per finished run (count, percentiles or top counts, alerts)")
    String schedule;

    @Option(names = "--node", paramLabel = "NODE", description = "only this node's result")
    String node;

    @Option(names = "--per-node", description = "after the merged histograms, each node's (histogram gadgets, text output)")
    boolean perNode;

    @Option(names = "--svg", paramLabel = "FILE", description = "profile/offcputime: write the flame graph (every node's stacks merged) here")
    java.nio.file.Path svg;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or yaml (default: text)")
    OutputMode output;

    public ResultsCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    String what() {
        return "get the tracejob";
    }

    @Override
    String crdMissing() {
        return schedule == null ? super.crdMissing() : KubeErrors.crdMissing(TraceSchedule.KIND, TraceSchedule.CRD_NAME);
    }

    @Override
    void validate() {
        if ((name == null) == (schedule == null)) {
            throw new dev.kgadget.api.catalog.InvalidParameterException("give a TraceJob name or --schedule NAME (one of them)");
        }
        if (schedule != null && (node != null || perNode)) {
            throw new dev.kgadget.api.catalog.InvalidParameterException("--node and --per-node are for one TraceJob, not --schedule");
        }
        JobReport.checkPerNode(perNode, "", output, node);
    }

    @Override
    int execute(KubernetesClient client, String namespace) {
        if (schedule != null) {
            return trend(client, namespace);
        }
        TraceJob job = require(client, namespace, name);
        if (job.getStatus() == null || job.getStatus().getPhase() == null || !job.getStatus().getPhase().isFinal()) {
            String phase = job.getStatus() == null || job.getStatus().getPhase() == null ? "Pending" : job.getStatus().getPhase().name();
            throw new CliFailure(ExitCodes.CANNOT_RUN, "tracejob " + name + " is still " + phase
                    + "; its results appear when it ends (kubectl gadget describe " + name + ")");
        }
        if (node != null) {
            JobResult.entry(job.getStatus(), node);
        }
        JobReport.checkPerNode(perNode, job.getSpec().getGadget(), output, node);
        List<JobResult.NodeDocument> docs = List.of();
        dev.kgadget.cli.render.StackRenderer.checkSvg(svg, GadgetCatalog.require(job.getSpec().getGadget()));
        if (JobReport.needsDocuments(job.getSpec().getGadget()) && job.getStatus().getPhase() != TraceJobPhase.Failed) {
            docs = JobResult.fetch(client, job, node == null ? null : List.of(node));
        }
        int code = JobReport.print(job, docs, node, perNode, output, env.zone(), env.out(), env.err());
        if (svg != null && job.getStatus().getPhase() != TraceJobPhase.Failed) {
            JobReport.writeSvg(svg, job, docs, node, env.err());
        }
        return code;
    }

    private int trend(KubernetesClient client, String namespace) {
        TraceSchedule s = ScheduleCommands.ScheduleCommand.requireSchedule(client, namespace, schedule);
        List<TrendEntry> trend = s.getStatus() == null || s.getStatus().getTrend() == null ? List.of() : s.getStatus().getTrend();
        switch (output) {
            case JSON -> new dev.kgadget.cli.render.JsonRenderer().render(trend, env.out());
            case YAML -> env.out().print(JobReport.yaml(trend));
            case TEXT -> {
                if (trend.isEmpty()) {
                    env.err().println("traceschedule " + schedule + " has no finished run yet");
                } else {
                    ScheduleTables.trend(trend).forEach(env.out()::println);
                }
            }
        }
        return ExitCodes.OK;
    }
}
