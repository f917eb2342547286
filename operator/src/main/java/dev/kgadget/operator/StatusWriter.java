package dev.kgadget.operator;

import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobStatus;
import dev.kgadget.api.crd.TraceSchedule;
import dev.kgadget.api.crd.TraceScheduleStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes TraceJob status with server-side apply, one field manager per owner: the operator
 * owns the job-level fields and never sends status.nodes; each node's entry belongs to the
 * manager {@code kgadget-daemon-<node>}, which the operator also uses on the rare occasions
 * it writes an entry itself (no daemon on the node, timed out). So nothing is overwritten
 * from a stale cache, and nodes never overwrite each other.
 */
public final class StatusWriter {
    public static final String OPERATOR_MANAGER = "kgadget-operator";
    /** Writes a schedule's verdict (the Alert condition) on its runs. */
    public static final String SCHEDULE_MANAGER = "kgadget-schedule";

    private final KubernetesClient client;

    public StatusWriter(KubernetesClient client) {
        this.client = client;
    }

    public static String nodeManager(String node) {
        return "kgadget-daemon-" + node;
    }

    /** The job-level fields; {@code status.nodes} must be null here. */
    public void applyJobStatus(TraceJob job, TraceJobStatus status) {
        if (status.getNodes() != null) {
            throw new IllegalArgumentException("the operator does not apply node entries as itself");
        }
        apply(job, OPERATOR_MANAGER, status);
    }

    /** One node's entry, as that node's manager. */
    public void applyNodeEntry(TraceJob job, NodeStatusEntry entry) {
        TraceJobStatus status = new TraceJobStatus();
        status.setNodes(List.of(entry));
        apply(job, nodeManager(entry.getNode()), status);
    }

    /**
     * A schedule's alert verdict on one of its runs: the {@code Alert} condition only, under its
     * own manager (conditions are a list-map keyed by type, so the operator's own stay).
     */
    public void applyJobAlert(TraceJob job, Condition alert) {
        TraceJobStatus status = new TraceJobStatus();
        status.setConditions(List.of(alert));
        apply(job, SCHEDULE_MANAGER, status);
    }

    /** A schedule's whole status (the operator is its only writer); returns the schedule as written. */
    public TraceSchedule applyScheduleStatus(TraceSchedule schedule, TraceScheduleStatus status) {
        return apply(schedule, OPERATOR_MANAGER, status);
    }

    private <T extends HasMetadata> T apply(T resource, String manager, Object status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiVersion", resource.getApiVersion());
        body.put("kind", resource.getKind());
        body.put("metadata", Map.of("name", resource.getMetadata().getName(), "namespace", resource.getMetadata().getNamespace()));
        body.put("status", status);
        String json = Json.write(body, false);
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) resource.getClass();
        return client.resources(type).inNamespace(resource.getMetadata().getNamespace())
                .withName(resource.getMetadata().getName()).subresource("status")
                .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager(manager).withForce(true).build(), json);
    }
}
