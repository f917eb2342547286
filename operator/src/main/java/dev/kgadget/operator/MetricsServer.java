package dev.kgadget.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The operator's /metrics: the schedules' ({@link ScheduleMetrics}), reconciliations per
 * resource kind and their failures (a JOSDK {@link Metrics} hook), and the JVM's.
 */
public final class MetricsServer implements AutoCloseable {
    /** The operator's own families (besides {@link ScheduleMetrics#NAMES} and the JVM's). */
    public static final java.util.List<String> NAMES = java.util.List.of("kgadget_operator_reconciliations",
            "kgadget_operator_reconciliation_failures");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ScheduleMetrics schedules = new ScheduleMetrics();
    private final Counter reconciles = Counter.builder().name("kgadget_operator_reconciliations")
            .help("Reconciliations by resource kind").labelNames("kind").register(registry);
    private final Counter failures = Counter.builder().name("kgadget_operator_reconciliation_failures")
            .help("Reconciliations that threw, by resource kind").labelNames("kind").register(registry);
    private HTTPServer server;

    public MetricsServer() {
        registry.register(schedules);
        JvmMetrics.builder().register(registry);
    }

    public ScheduleMetrics schedules() {
        return schedules;
    }

    /** For JOSDK: counts every reconciliation and failure. */
    public Metrics josdk() {
        return new Metrics() {
            @Override
            public void reconcileCustomResource(HasMetadata resource, io.javaoperatorsdk.operator.api.reconciler.RetryInfo retry,
                                                Map<String, Object> metadata) {
                reconciles.labelValues(resource.getKind()).inc();
            }

            @Override
            public void failedReconciliation(HasMetadata resource, Exception e, Map<String, Object> metadata) {
                failures.labelValues(resource.getKind()).inc();
            }
        };
    }

    /** Serves /metrics on {@code port} (0: an ephemeral one, see {@link #port()}). */
    public MetricsServer serve(int port) {
        try {
            server = HTTPServer.builder().port(port).registry(registry).buildAndStart();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
        }
        return this;
    }

    public int port() {
        return server == null ? -1 : server.getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
