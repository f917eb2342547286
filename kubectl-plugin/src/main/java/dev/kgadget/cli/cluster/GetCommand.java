package dev.kgadget.cli.cluster;

import dev.kgadget.cli.ExitCodes;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.cli.CliEnvironment;

import io.fabric8.kubernetes.client.KubernetesClient;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

@Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List TraceJobs (or show one) as a table: NAME, GADGET, PHASE, NODES (done/total), AGE.",
        footer = {"", "Examples:",
                "  kubectl gadget get",
                "  kubectl gadget get -A",
                "  kubectl gadget get syscount-x7k2p -n shop"})
public final class GetCommand extends ClusterCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "JOB", description = "one TraceJob by name (default: all of the namespace)")
    String name;

    @Option(names = {"-A", "--all-namespaces"}, description = "TraceJobs of every namespace (adds a NAMESPACE column)")
    boolean allNamespaces;

    public GetCommand(CliEnvironment env) {
        super(env);
    }

    @Override
    String what() {
        return "list tracejobs";
    }

    @Override
    int execute(KubernetesClient client, String namespace) {
        List<TraceJob> jobs;
        if (name != null) {
            jobs = List.of(require(client, namespace, name));
        } else if (allNamespaces) {
            jobs = client.resources(TraceJob.class).inAnyNamespace().list().getItems();
        } else {
            jobs = client.resources(TraceJob.class).inNamespace(namespace).list().getItems();
        }
        if (jobs.isEmpty()) {
            env.err().println(allNamespaces ? "No tracejobs found." : "No tracejobs found in " + namespace + " namespace.");
            env.err().flush();
            return ExitCodes.OK;
        }
        List<TraceJob> sorted = jobs.stream().sorted(Comparator.comparing((TraceJob j) -> j.getMetadata().getNamespace())
                .thenComparing(j -> j.getMetadata().getName())).toList();
        JobTable.render(sorted, allNamespaces && name == null, Instant.now()).forEach(env.out()::println);
        env.out().flush();
        return ExitCodes.OK;
    }
}
