package dev.kgadget.daemon.jobs;

import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One TraceJob's share of work on this node, already checked: the daemon never trusts the
 * operator's input, so a NodeJob only exists for a known gadget with valid parameters and a
 * bounded duration.
 */
public record NodeJob(String jobUid, String namespace, String name, GadgetDescriptor gadget, GadgetParams params,
                      Duration duration, Instant deadline, int maxEvents, String resultsConfigMap,
                      List<PodTarget> targets) {
    public NodeJob {
        targets = List.copyOf(targets);
    }

    public String display() {
        return namespace + "/" + name + " (" + gadget.name() + ")";
    }
}
