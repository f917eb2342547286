package dev.kgadget.operator.testing;

import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobSelector;
import dev.kgadget.api.crd.TraceJobSpec;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.Map;

/** TraceJobs for tests: a gadget for a duration on the pods with these labels. */
public final class TraceJobs {
    private TraceJobs() {
    }

    public static TraceJobSpec spec(String gadget, String duration, Map<String, String> params, Map<String, String> labels) {
        TraceJobSpec spec = new TraceJobSpec();
        spec.setGadget(gadget);
        spec.setDuration(duration);
        spec.setParameters(params);
        TraceJobSelector sel = new TraceJobSelector();
        sel.setPodSelector(new LabelSelectorBuilder().withMatchLabels(labels).build());
        spec.setSelector(sel);
        return spec;
    }

    /**
     * The daemon on {@code node} has attached the job's gadget: its node entry says Running.
     * The job's own phase turns Running before the daemons are even called, so a workload that
     * must be traced from its first operation waits for this instead.
     */
    public static boolean attachedOn(TraceJob job, String node) {
        return job != null && job.getStatus() != null && job.getStatus().getNodes() != null
                && job.getStatus().getNodes().stream()
                .anyMatch(e -> node.equals(e.getNode()) && e.getPhase() == NodeTracePhase.Running);
    }

    public static TraceJob job(String namespace, String name, TraceJobSpec spec) {
        TraceJob j = new TraceJob();
        j.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        j.setSpec(spec);
        return j;
    }
}
