package dev.kgadget.operator;

import dev.kgadget.api.ops.HealthEndpoints;
import dev.kgadget.api.catalog.TraceDuration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The operator process: flags (with env fallbacks), health endpoints, graceful shutdown. */
@Command(name = "kgadget-operator", mixinStandardHelpOptions = true,
        description = "Reconciles TraceJobs: resolves selectors, dispatches to node daemons, merges results.")
public final class Main implements Callable<Integer> {
    @Option(names = "--namespace", split = ",", defaultValue = "${env:KGADGET_WATCH_NAMESPACES}",
            description = "Namespaces whose TraceJobs are reconciled (comma-separated; default: all).")
    List<String> namespaces;

    @Option(names = "--daemon-namespace", defaultValue = "${env:KGADGET_DAEMON_NAMESPACE:-kgadget-system}",
            description = "Namespace of the node daemon pods (default: ${DEFAULT-VALUE}).")
    String daemonNamespace;

    @Option(names = "--grace", defaultValue = "${env:KGADGET_GRACE:-10s}",
            description = "How long past a job's duration a node may take to report before it is TimedOut (default: ${DEFAULT-VALUE}).")
    String grace;

    @Option(names = "--allowed-gadgets", split = ",", defaultValue = "${env:KGADGET_ALLOWED_GADGETS}",
            description = "Gadgets TraceJobs may run (comma-separated; default: all); others fail with GadgetNotAllowed.")
    List<String> allowedGadgets;

    @Option(names = "--max-duration", defaultValue = "${env:KGADGET_MAX_DURATION:-1h}",
            description = "The longest duration a TraceJob may ask for; longer ones fail with DurationTooLong (default: ${DEFAULT-VALUE}).")
    String maxDuration;

    @Option(names = "--leader-election", defaultValue = "${env:KGADGET_LEADER_ELECTION:-false}",
            description = "Reconcile only while holding the Lease kgadget-operator in the daemon namespace (for replicas > 1).")
    boolean leaderElection;

    @Option(names = "--metrics-port", defaultValue = "${env:KGADGET_METRICS_PORT:-8080}",
            description = "Port of the Prometheus /metrics; -1 disables (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--health-port", defaultValue = "${env:KGADGET_HEALTH_PORT:-8081}",
            description = "Port of /healthz and /readyz; 0 disables (default: ${DEFAULT-VALUE}).")
    int healthPort;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OperatorSettings settings;
        try {
            settings = settings();
        } catch (dev.kgadget.api.catalog.InvalidParameterException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        KubernetesClient client = new KubernetesClientBuilder().build();
        OperatorApp app = new OperatorApp(client, settings).start();
        HealthEndpoints health = healthPort > 0 ? HealthEndpoints.start(healthPort, app::notReadyReason) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            if (health != null) {
                health.close();
            }
            client.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    /** The flags as settings; a bad value is an InvalidParameterException naming it. */
    OperatorSettings settings() {
        return OperatorSettings.of(daemonNamespace)
                .withNamespaces(namespaces == null ? java.util.Set.of() : new HashSet<>(namespaces))
                .withGrace(TraceDuration.parse(grace))
                .withPolicy(new JobPolicy(allowedGadgets == null ? java.util.Set.of() : new HashSet<>(allowedGadgets),
                        TraceDuration.parse(maxDuration)))
                .withLeaderElection(leaderElection)
                .withMetricsPort(metricsPort);
    }

    public static void main(String[] args) {
        dev.kgadget.api.ops.ServerLogging.configure();
        System.exit(dev.kgadget.api.ops.ServerCommand.execute(new Main(), args));
    }
}
