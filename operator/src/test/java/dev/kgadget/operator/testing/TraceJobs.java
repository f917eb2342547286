package dev.kgadget.operator.testing;

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

    public static TraceJob job(String namespace, String name, TraceJobSpec spec) {
        TraceJob j = new TraceJob();
        j.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        j.setSpec(spec);
        return j;
    }
}
