package dev.kgadget.cli.cluster;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.api.catalog.TraceDuration;
import dev.kgadget.api.crd.TraceJobSelector;
import dev.kgadget.api.crd.TraceJobSpec;
import dev.kgadget.cli.ParamArgs;

import io.fabric8.kubernetes.api.model.LabelSelector;

import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a TraceJob traces, as {@code run} and {@code schedule create} take it: the pods
 * ({@code -l}, {@code --node}, {@code -c}), the duration and the gadget's parameters, all
 * checked before anything reaches the cluster.
 */
public final class JobSpecOptions {
    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
            description = "pods of the namespace by label, like kubectl: app=x, app!=x, 'app in (a,b)', "
                    + "'app notin (a,b)', app, !app; comma-separated (default: every pod of the namespace)")
    String selector;

    @Option(names = "--node", paramLabel = "NAME", description = "only pods on this node")
    String node;

    @Option(names = {"-c", "--container"}, paramLabel = "NAME", description = "only this container of each pod")
    String container;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION",
            description = "how long to trace, e.g. 500ms, 30s, 2m (default: 10s, at most 1h)")
    String duration;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME[=VALUE]",
            description = "a gadget parameter, e.g. -p per-disk or -p top=20; repeatable")
    List<String> params = new ArrayList<>();

    private GadgetDescriptor descriptor;
    private Map<String, String> parameters;
    private Duration traceDuration;
    private LabelSelector podSelector;

    /** Checks everything typed for {@code gadget}; InvalidParameterException (exit 2) names what is wrong. */
    void validate(String gadget) {
        descriptor = GadgetCatalog.require(gadget);
        parameters = canonical(descriptor, params);
        traceDuration = duration == null ? TraceDuration.DEFAULT : TraceDuration.parse(duration);
        podSelector = LabelSelectors.parse(selector);
        if (node != null && node.isBlank() || container != null && container.isBlank()) {
            throw new InvalidParameterException("--node and --container need a name");
        }
    }

    /** {@code -p name[=value]} checked against the catalog and sent in canonical form (true, 20). */
    static Map<String, String> canonical(GadgetDescriptor gadget, List<String> params) {
        Map<String, String> raw = ParamArgs.parse(params);
        Map<String, Object> typed = GadgetParams.of(gadget, raw).asMap();
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : raw.keySet()) {
            out.put(name, String.valueOf(typed.get(name)));
        }
        return out;
    }

    TraceJobSpec spec() {
        TraceJobSpec spec = new TraceJobSpec();
        spec.setGadget(descriptor.name());
        spec.setDuration(TraceDuration.format(traceDuration));
        spec.setParameters(parameters.isEmpty() ? null : parameters);
        TraceJobSelector sel = new TraceJobSelector();
        sel.setPodSelector(podSelector);
        sel.setNodeName(node);
        sel.setContainerName(container);
        spec.setSelector(sel);
        return spec;
    }

    GadgetDescriptor descriptor() {
        return descriptor;
    }

    Duration traceDuration() {
        return traceDuration;
    }

    LabelSelector podSelector() {
        return podSelector;
    }
}
