package dev.kgadget.operator;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.OutputKind;
import dev.kgadget.api.crd.MergedResult;
import dev.kgadget.api.stacks.FlameGraph;
import dev.kgadget.api.stacks.FoldedStacks;
import dev.kgadget.api.crd.TraceJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ConfigMap that keeps a job's results: {@code node.<node>.json} written by each daemon,
 * {@code summary.json} (the merged result) written here. Owned by the TraceJob, so it goes
 * when the job goes.
 */
public final class ResultsConfigMap {
    public static final String SUMMARY_KEY = "summary.json";
    public static final String STACKS_KEY = "stacks.folded";
    public static final String SVG_KEY = "flamegraph.svg";
    public static final String SVG_NOTE_KEY = "flamegraph.txt";
    /** A ConfigMap holds at most 1 MiB; leave room for keys and metadata. */
    static final long CONFIGMAP_BUDGET = 1_000_000;

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
        Map<String, String> data = new LinkedHashMap<>();
        data.put(SUMMARY_KEY, json);
        if (GadgetCatalog.find(job.getSpec().getGadget()).map(g -> g.output() == OutputKind.STACKS).orElse(false)) {
            data.putAll(stacks(job, json.length()));
        }
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(nameOf(job))
                .withNamespace(job.getMetadata().getNamespace()).endMetadata()
                .withData(data).build();
        client.configMaps().inNamespace(job.getMetadata().getNamespace()).resource(cm)
                .fieldManager(StatusWriter.OPERATOR_MANAGER + "-summary").forceConflicts().serverSideApply();
    }

    /**
     * Stack gadgets: every node's stacks merged by folded key into {@value #STACKS_KEY}, and the
     * flame graph as {@value #SVG_KEY} when it fits in what the ConfigMap has left (else
     * {@value #SVG_NOTE_KEY} says so, and {@code kubectl gadget results JOB --svg} draws it).
     */
    private Map<String, String> stacks(TraceJob job, int summaryBytes) {
        ConfigMap cm = client.configMaps().inNamespace(job.getMetadata().getNamespace()).withName(nameOf(job)).get();
        Map<String, String> out = new LinkedHashMap<>();
        if (cm == null || cm.getData() == null) {
            return out;
        }
        List<Map<String, Long>> parts = new ArrayList<>();
        long used = summaryBytes;
        for (Map.Entry<String, String> e : cm.getData().entrySet()) {
            if (e.getKey().startsWith("node.") && e.getKey().endsWith(".json")) {
                used += e.getValue().length();
                parts.add(FoldedStacks.ofDocument(Json.tree(e.getValue())));
            }
        }
        Map<String, Long> merged = FoldedStacks.merge(parts);
        StringBuilder folded = new StringBuilder();
        int kept = 0;
        List<String> lines = FoldedStacks.lines(merged);
        for (String line : lines) {
            if (used + folded.length() + line.length() + 1 > CONFIGMAP_BUDGET) {
                break;
            }
            folded.append(line).append('\n');
            kept++;
        }
        out.put(STACKS_KEY, folded.toString());
        used += folded.length();
        if (kept < lines.size()) {
            out.put(SVG_NOTE_KEY, "stacks.folded keeps the " + kept + " largest of " + lines.size()
                    + " stacks (the ConfigMap is full); the nodes' documents have the rest");
        }
        String unit = FoldedStacks.unit(job.getSpec().getGadget());
        String svg = FlameGraph.svg(merged, job.getSpec().getGadget() + " of " + job.getMetadata().getNamespace() + "/"
                + job.getMetadata().getName() + " (" + unit + ")", unit);
        if (used + svg.length() <= CONFIGMAP_BUDGET) {
            out.put(SVG_KEY, svg);
        } else {
            out.put(SVG_NOTE_KEY, "the flame graph (" + svg.length() + " bytes) does not fit in this ConfigMap; "
                    + "kubectl gadget results " + job.getMetadata().getName() + " --svg FILE draws it");
        }
        return out;
    }

    public void delete(TraceJob job) {
        client.configMaps().inNamespace(job.getMetadata().getNamespace()).withName(nameOf(job)).delete();
    }
}
