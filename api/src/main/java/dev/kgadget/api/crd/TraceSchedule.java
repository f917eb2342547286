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
 * Periodic diagnostics: {@code kubectl get tsched}. Like a CronJob makes Jobs, a schedule makes
 * TraceJobs (owned by it), prunes old ones and keeps a trend of its runs' results.
 */
@Group(TraceJob.GROUP)
@Version(TraceJob.VERSION)
@Kind(TraceSchedule.KIND)
@Singular("traceschedule")
@Plural(TraceSchedule.PLURAL)
@ShortNames("tsched")
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Gadget", jsonPath = ".spec.jobTemplate.gadget", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Suspend", jsonPath = ".spec.suspend", type = AdditionalPrinterColumn.Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class TraceSchedule extends CustomResource<TraceScheduleSpec, TraceScheduleStatus> implements Namespaced {
    public static final String KIND = "TraceSchedule";
    public static final String PLURAL = "traceschedules";
    public static final String CRD_NAME = PLURAL + "." + TraceJob.GROUP;
    /** Label on a schedule's TraceJobs: the schedule's name. */
    public static final String LABEL = "kgadget.dev/schedule";
    /** Annotation on a schedule's TraceJobs: when the run was due (RFC 3339). */
    public static final String SCHEDULED_AT = "kgadget.dev/scheduled-at";

    private static final long serialVersionUID = 1L;
}
