package dev.kgadget.cli.cluster;

import dev.kgadget.cli.ExitCodes;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.cli.CliEnvironment;
import dev.kgadget.cli.CliFailure;

import io.fabric8.kubernetes.client.KubernetesClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.TimeUnit;

@Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Delete a TraceJob: a running one stops tracing on every node; its results ConfigMap goes with it.",
                "Waits (up to 30s) until the operator has released it."},
        footer = {"", "Examples:",
                "  kubectl gadget delete opensnoop-x7k2p",
                "  kubectl gadget delete biolatency-9qz4m -n shop"})
public final class DeleteCommand extends ClusterCommand {
    @Parameters(index = "0", paramLabel = "JOB", description = "the TraceJob's name")
    String name;

    public DeleteCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    String what() {
        return "delete the tracejob";
    }

    @Override
    int execute(KubernetesClient client, String namespace) {
        var resource = client.resources(TraceJob.class).inNamespace(namespace).withName(name);
        if (resource.delete().isEmpty()) {
            throw new CliFailure(ExitCodes.BAD_INPUT, "tracejob '" + name + "' not found in namespace " + namespace
                    + " (see 'kubectl gadget get')");
        }
        try {
            resource.waitUntilCondition(j -> j == null, 30, TimeUnit.SECONDS);
        } catch (io.fabric8.kubernetes.client.KubernetesClientTimeoutException e) {
            env.err().println("kgadget: tracejob " + name + " is still being deleted (its finalizer waits for the operator)");
        }
        env.out().println("tracejob.kgadget.dev \"" + name + "\" deleted");
        env.out().flush();
        return ExitCodes.OK;
    }
}
