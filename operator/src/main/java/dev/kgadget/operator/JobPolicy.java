package dev.kgadget.operator;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.api.catalog.TraceDuration;
import dev.kgadget.api.crd.TraceJobSpec;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the cluster admin allows (Helm values {@code allowedGadgets}, {@code maxDuration}):
 * a job outside it fails with a reason instead of running.
 *
 * @param allowedGadgets the gadgets jobs may run; empty = all of the catalog
 * @param maxDuration    the longest duration a job may ask for
 */
public record JobPolicy(Set<String> allowedGadgets, Duration maxDuration) {
    /** Everything the catalog and the CRD allow. */
    public static final JobPolicy OPEN = new JobPolicy(Set.of(), TraceDuration.MAX);

    public JobPolicy {
        allowedGadgets = Set.copyOf(allowedGadgets);
        for (String g : allowedGadgets) {
            GadgetCatalog.require(g); // a typo in the values fails the operator's start, with a suggestion
        }
        if (maxDuration.compareTo(TraceDuration.MIN) < 0 || maxDuration.compareTo(TraceDuration.MAX) > 0) {
            throw new InvalidParameterException("the maximum duration " + TraceDuration.format(maxDuration)
                    + " is out of range " + TraceDuration.format(TraceDuration.MIN) + ".." + TraceDuration.format(TraceDuration.MAX));
        }
    }

    /** Why a (valid) spec is not allowed here, if it is not. */
    public Optional<SpecValidation.Invalid> check(TraceJobSpec spec) {
        if (!allowedGadgets.isEmpty() && !allowedGadgets.contains(spec.getGadget())) {
            return Optional.of(new SpecValidation.Invalid("GadgetNotAllowed", "spec.gadget: " + spec.getGadget()
                    + " is not allowed in this cluster (allowed: " + String.join(", ", new TreeSet<>(allowedGadgets)) + ")"));
        }
        Duration d = TraceDuration.parse(spec.getDuration());
        if (d.compareTo(maxDuration) > 0) {
            return Optional.of(new SpecValidation.Invalid("DurationTooLong", "spec.duration: " + TraceDuration.format(d)
                    + " is longer than this cluster allows (" + TraceDuration.format(maxDuration) + ")"));
        }
        return Optional.empty();
    }
}
