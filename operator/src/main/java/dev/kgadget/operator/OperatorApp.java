package dev.kgadget.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;

import java.time.Duration;
import java.util.Set;

/**
 * The operator assembled from a client: informer caches, daemon channels, the TraceJob
 * reconciler under JOSDK. Used by {@link Main} and by the integration tests alike.
 */
public final class OperatorApp implements AutoCloseable {
    private final ClusterView cluster;
    private final DaemonChannels daemons = new DaemonChannels();
    private final Operator operator;

    /**
     * @param namespaces      namespaces whose TraceJobs are reconciled; empty = all
     * @param daemonNamespace where the daemon DaemonSet's pods run
     * @param grace           how long past a job's duration a node may take to report
     */
    public OperatorApp(KubernetesClient client, Set<String> namespaces, String daemonNamespace, Duration grace) {
        this.cluster = new ClusterView(client);
        TraceJobReconciler reconciler = new TraceJobReconciler(cluster, daemons, new StatusWriter(client),
                new ResultsConfigMap(client), daemonNamespace, grace);
        this.operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false));
        operator.register(reconciler, c -> {
            if (!namespaces.isEmpty()) {
                c.settingNamespaces(namespaces);
            }
        });
    }

    /** Empty once the pod and node caches are filled; selectors are resolved from them. */
    public java.util.Optional<String> notReadyReason() {
        return cluster.synced() ? java.util.Optional.empty() : java.util.Optional.of("pod and node caches are not synced yet");
    }

    public OperatorApp start() {
        operator.start();
        return this;
    }

    @Override
    public void close() {
        operator.stop();
        daemons.close();
        cluster.close();
    }
}
