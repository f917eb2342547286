package dev.kgadget.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One bounded run of a gadget against the pods of its namespace that a selector picks:
 * {@code kubectl get tj}. The operator owns the status except {@code status.nodes}, where each
 * node daemon server-side-applies its own entry (a list-map keyed by node).
 *
 * <p>The CRD is generated from these classes at build time ({@code crds/tracejobs.kgadget.dev-v1.yml}).
 * Printer columns Gadget, Phase and Nodes come from {@code @PrinterColumn} on the fields; the
 * generator orders columns by JSON path, so Age (.metadata) prints first.
 */
@Group(TraceJob.GROUP)
@Version(TraceJob.VERSION)
@Kind(TraceJob.KIND)
@Singular("tracejob")
@Plural(TraceJob.PLURAL)
@ShortNames("tj")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class TraceJob extends CustomResource<TraceJobSpec, TraceJobStatus> implements Namespaced {
    public static final String GROUP = "kgadget.dev";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "TraceJob";
    public static final String PLURAL = "tracejobs";
    /** metadata.name of the CRD. */
    public static final String CRD_NAME = PLURAL + "." + GROUP;

    private static final long serialVersionUID = 1L;
}
