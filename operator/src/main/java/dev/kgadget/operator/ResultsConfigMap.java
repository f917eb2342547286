package dev.kgadget.operator;

import dev.kgadget.api.crd.MergedResult;
import dev.kgadget.api.crd.TraceJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;

/**
 * The ConfigMap that keeps a job's results: {@code node.<node>.json} written by each daemon,
 * {@code summary.json} (the merged result) written here. Owned by the TraceJob, so it goes
 * when the job goes.
 */
public final class ResultsConfigMap {
    public static final String SUMMARY_KEY = "summary.json";

    private final KubernetesClient client;

    public ResultsConfigMap(KubernetesClient client) {
        this.client = client;
    }

    public static String nameOf(TraceJob job) {
        String base = job.getMetadata().getName();
        return (base.length() > 245 ? base.substring(0, 245) : base) + "-results";
    }

    /** Creates it (idempotently) before any daemon writes its part. */
    public void ensure(TraceJob job) {
        ConfigMap cm = new ConfigMapBuilder()
                .withNewMetadata().withName(nameOf(job)).withNamespace(job.getMetadata().getNamespace())
                .withLabels(Map.of("app.kubernetes.io/managed-by", "kgadget", "kgadget.dev/tracejob", job.getMetadata().getName()))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(job.getApiVersion()).withKind(job.getKind())
                        .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata().build();
        client.configMaps().inNamespace(job.getMetadata().getNamespace()).resource(cm)
                .fieldManager(StatusWriter.OPERATOR_MANAGER).forceConflicts().serverSideApply();
    }

    public void writeSummary(TraceJob job, MergedResult merged) {
        String json = Json.write(merged, true);
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(nameOf(job))
                .withNamespace(job.getMetadata().getNamespace()).endMetadata()
                .withData(Map.of(SUMMARY_KEY, json)).build();
        client.configMaps().inNamespace(job.getMetadata().getNamespace()).resource(cm)
                .fieldManager(StatusWriter.OPERATOR_MANAGER + "-summary").forceConflicts().serverSideApply();
    }

    public void delete(TraceJob job) {
        client.configMaps().inNamespace(job.getMetadata().getNamespace()).withName(nameOf(job)).delete();
    }
}
