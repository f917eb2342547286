package dev.kgadget.operator;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.api.catalog.TraceDuration;
import dev.kgadget.api.crd.TraceJobSpec;

import java.util.Optional;

/**
 * Checks a TraceJob spec against the gadget catalog before anything is dispatched. The API
 * server's schema already rejects what it can (enum, duration bounds); this catches what it
 * cannot (typed parameters) and anything applied before the CRD's rules existed.
 */
public final class SpecValidation {
    private SpecValidation() {
    }

    /** Why a spec cannot run: a CamelCase reason and a message that names the field. */
    public record Invalid(String reason, String message) {
    }

    public static Optional<Invalid> check(TraceJobSpec spec) {
        if (spec == null) {
            return Optional.of(new Invalid("InvalidSpec", "spec is required"));
        }
        GadgetDescriptor gadget;
        try {
            gadget = GadgetCatalog.require(String.valueOf(spec.getGadget()));
        } catch (InvalidParameterException e) {
            return Optional.of(new Invalid("UnknownGadget", "spec.gadget: " + e.getMessage()));
        }
        try {
            GadgetParams.of(gadget, spec.parametersOrEmpty());
        } catch (InvalidParameterException e) {
            return Optional.of(new Invalid("InvalidParameters", "spec.parameters: " + e.getMessage()));
        }
        try {
            TraceDuration.parse(spec.getDuration());
        } catch (InvalidParameterException e) {
            return Optional.of(new Invalid("InvalidDuration", "spec.duration: " + e.getMessage()));
        }
        if (spec.getSelector() == null) {
            return Optional.of(new Invalid("InvalidSelector", "spec.selector is required"));
        }
        try {
            PodSelection.compile(spec.getSelector().getPodSelector(), "spec.selector.podSelector");
        } catch (PodSelection.InvalidSelectorException e) {
            return Optional.of(new Invalid("InvalidSelector", e.getMessage()));
        }
        return Optional.empty();
    }
}
