package dev.kgadget.operator;

import dev.kgadget.api.ops.HealthEndpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
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

    @Option(names = "--health-port", defaultValue = "${env:KGADGET_HEALTH_PORT:-8081}",
            description = "Port of /healthz and /readyz; 0 disables (default: ${DEFAULT-VALUE}).")
    int healthPort;

    @Override
    public Integer call() throws Exception {
        Duration g = dev.kgadget.api.catalog.TraceDuration.parse(grace);
        KubernetesClient client = new KubernetesClientBuilder().build();
        OperatorApp app = new OperatorApp(client, namespaces == null ? java.util.Set.of() : new HashSet<>(namespaces),
                daemonNamespace, g).start();
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

    public static void main(String[] args) {
        dev.kgadget.api.ops.ServerLogging.configure();
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
