package dev.kgadget.cli.cluster;

import dev.kgadget.cli.ExitCodes;
import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.cli.CliEnvironment;
import dev.kgadget.cli.CliFailure;

import io.fabric8.kubernetes.api.model.ConfigMap;
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
                "  kubectl gadget results syscount-4hq8d -o yaml"})
public final class ResultsCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "JOB", description = "the TraceJob's name")
    String name;

    @Option(names = "--node", paramLabel = "NODE", description = "only this node's result")
    String node;

    @Option(names = "--per-node", description = "after the merged histograms, each node's (histogram gadgets, text output)")
    boolean perNode;

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
    void validate() {
        JobReport.checkPerNode(perNode, "", output, node);
    }

    @Override
    int execute(KubernetesClient client, String namespace) {
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
        boolean events = GadgetCatalog.find(job.getSpec().getGadget()).map(g -> g.output() == OutputKind.EVENTS).orElse(false);
        if (events && job.getStatus().getPhase() != TraceJobPhase.Failed && job.getStatus().getResultsConfigMap() != null) {
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(job.getStatus().getResultsConfigMap()).get();
            docs = JobResult.documents(cm == null ? null : cm.getData(), node);
        }
        return JobReport.print(job, docs, node, perNode, output, env.zone(), env.out(), env.err());
    }
}
