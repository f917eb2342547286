package dev.kgadget.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * The operator assembled from a client: informer caches, daemon channels, the TraceJob
 * reconciler under JOSDK. Used by {@link Main} and by the integration tests alike.
 */
public final class OperatorApp implements AutoCloseable {
    private final ClusterView cluster;
    private final DaemonChannels daemons;
    private final Operator operator;
    private final MetricsServer metrics = new MetricsServer();
    private final String identity = newIdentity();

    /** As {@link #OperatorApp(KubernetesClient, OperatorSettings)} with everything else at its default. */
    public OperatorApp(KubernetesClient client, Set<String> namespaces, String daemonNamespace, Duration grace) {
        this(client, OperatorSettings.of(daemonNamespace).withNamespaces(namespaces).withGrace(grace));
    }

    /**
     * Makes sure the daemon TLS Secrets exist (creating them on a first start) and assembles
     * the operator; nothing is reconciled before {@link #start()}.
     */
    public OperatorApp(KubernetesClient client, OperatorSettings settings) {
        this.daemons = new DaemonChannels(TlsBootstrap.ensure(client, settings.daemonNamespace()));
        this.cluster = new ClusterView(client);
        TraceJobReconciler reconciler = new TraceJobReconciler(cluster, daemons, new StatusWriter(client),
                new ResultsConfigMap(client), settings.daemonNamespace(), settings.grace(), settings.policy());
        StatusWriter statusWriter = new StatusWriter(client);
        TraceScheduleReconciler schedules = new TraceScheduleReconciler(client, statusWriter,
                new KubeEvents(client, settings.clock()), metrics.schedules(), settings.clock(), settings.schedulePoll());
        if (settings.metricsPort() >= 0) {
            metrics.serve(settings.metricsPort());
        }
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client).withCloseClientOnStop(false).withMetrics(metrics.josdk());
            if (settings.leaderElection()) {
                // a replica that loses the lease stops reconciling; in a pod it exits and is restarted as a standby
                o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
                        .aLeaderElectionConfiguration(OperatorSettings.LEASE_NAME)
                        .withLeaseNamespace(settings.daemonNamespace())
                        .withIdentity(identity)
                        .withExitOnStopLeading(System.getenv("KUBERNETES_SERVICE_HOST") != null)
                        .build());
            }
        });
        operator.register(reconciler, c -> {
            if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
            }
        });
        operator.register(schedules, c -> {
            if (!settings.namespaces().isEmpty()) {
                c.settingNamespaces(settings.namespaces());
            }
        });
    }

    /** Who this instance is in the leader Lease. */
    public String identity() {
        return identity;
    }

    /** The pod's name where there is one (the lease then says who leads), unique in any case. */
    private static String newIdentity() {
        String pod = System.getenv("POD_NAME");
        return (pod == null || pod.isBlank() ? "kgadget-operator" : pod) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Empty once the pod and node caches are filled; selectors are resolved from them. */
    public java.util.Optional<String> notReadyReason() {
        return cluster.synced() ? java.util.Optional.empty() : java.util.Optional.of("pod and node caches are not synced yet");
    }

    public OperatorApp start() {
        operator.start();
        return this;
    }

    /** The port /metrics is served on, or -1. */
    public int metricsPort() {
        return metrics.port();
    }

    @Override
    public void close() {
        operator.stop();
        metrics.close();
        daemons.close();
        cluster.close();
    }
}
