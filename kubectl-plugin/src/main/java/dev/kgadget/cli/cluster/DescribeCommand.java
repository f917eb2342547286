package dev.kgadget.cli.cluster;

import dev.kgadget.cli.ExitCodes;
import dev.kgadget.cli.CliEnvironment;

import io.fabric8.kubernetes.client.KubernetesClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.time.Instant;

@Command(name = "describe", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show a TraceJob in detail: its spec, the pods and containers it targets, each node's status and its conditions.",
        footer = {"", "Examples:",
                "  kubectl gadget describe biolatency-x7k2p",
                "  kubectl gadget describe execsnoop-9qz4m -n shop"})
public final class DescribeCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "JOB", description = "the TraceJob's name")
    String name;

    public DescribeCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    String what() {
        return "get the tracejob";
    }

    @Override
    int execute(KubernetesClient client, String namespace) {
        JobDescription.render(require(client, namespace, name), Instant.now()).forEach(env.out()::println);
        env.out().flush();
        return ExitCodes.OK;
    }
}
