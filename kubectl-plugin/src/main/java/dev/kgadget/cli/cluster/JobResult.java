package dev.kgadget.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.api.crd.CountSummary;
import dev.kgadget.api.crd.HistogramSummary;
import dev.kgadget.api.crd.MergedResult;
import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.crd.TargetNode;
import dev.kgadget.api.crd.TargetPod;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobStatus;
import dev.kgadget.api.result.Column;
import dev.kgadget.api.result.CountRow;
import dev.kgadget.api.result.EventRecord;
import dev.kgadget.api.result.GadgetResult;
import dev.kgadget.api.result.Histogram;
import dev.kgadget.api.result.ProgramCost;
import dev.kgadget.api.stacks.FoldedStacks;
import dev.kgadget.cli.render.JsonRenderer;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A finished TraceJob's result in the CLI's result model, so the local renderers print it: the
 * merged histograms and counts of {@code status.result} (or one node's, with {@code --node}),
 * and for event gadgets the events of the results ConfigMap's {@code node.<node>.json} parts,
 * each with the node it happened on and, where the node had exactly one selected pod, that pod.
 */
final class JobResult {
    /** Columns put before the gadget's own in cluster event tables. */
    static final List<Column> PLACEMENT = List.of(Column.left("node", "NODE", 12), Column.left("namespace", "NAMESPACE", 12),
            Column.left("pod", "POD", 24), Column.left("container", "CONTAINER", 12));

    private static final ObjectMapper MAPPER = JsonRenderer.mapper();

    private JobResult() {
    }

    /** One node's document from the results ConfigMap. */
    record NodeDocument(String node, JsonNode json) {
    }

    /** The ConfigMap key of a node's document (as the daemon writes it). */
    static String key(String node) {
        return "node." + node + ".json";
    }

    /** Documents of the ConfigMap data, in node order; only {@code onlyNode}'s when given. */
    static List<NodeDocument> documents(Map<String, String> data, String onlyNode) {
        List<NodeDocument> docs = new ArrayList<>();
        if (data == null) {
            return docs;
        }
        data.keySet().stream().sorted().forEach(k -> {
            if (k.startsWith("node.") && k.endsWith(".json")) {
                String node = k.substring("node.".length(), k.length() - ".json".length());
                if (onlyNode == null || onlyNode.equals(node)) {
                    try {
                        docs.add(new NodeDocument(node, MAPPER.readTree(data.get(k))));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("the results of node " + node + " are not JSON: " + e.getMessage(), e);
                    }
                }
            }
        });
        return docs;
    }

    /**
     * The node documents of a finished job's results ConfigMap, those of {@code nodes} only when
     * given; none when it has no ConfigMap (yet).
     */
    static List<NodeDocument> fetch(io.fabric8.kubernetes.client.KubernetesClient client, TraceJob job,
                                    java.util.Collection<String> nodes) {
        String name = job.getStatus() == null ? null : job.getStatus().getResultsConfigMap();
        if (name == null) {
            return List.of();
        }
        var cm = client.configMaps().inNamespace(job.getMetadata().getNamespace()).withName(name).get();
        List<NodeDocument> docs = documents(cm == null ? null : cm.getData(), null);
        return nodes == null ? docs : docs.stream().filter(d -> nodes.contains(d.node())).toList();
    }

    static GadgetResult of(TraceJob job, List<NodeDocument> docs, String onlyNode) {
        TraceJobStatus status = Objects.requireNonNull(job.getStatus(), "status");
        GadgetDescriptor gadget = GadgetCatalog.require(job.getSpec().getGadget());
        List<Histogram> histograms;
        List<CountRow> counts;
        long events;
        long lost;
        List<ProgramCost> programs;
        if (onlyNode != null) {
            NodeStatusEntry e = entry(status, onlyNode);
            histograms = orEmpty(e.getHistograms()).stream().map(HistogramSummary::toHistogram).toList();
            counts = orEmpty(e.getCounts()).stream().map(CountSummary::toCountRow).toList();
            events = orZero(e.getEvents());
            lost = orZero(e.getLostEvents());
            programs = cost(e.getKernelNsPerEvent(), orZero(e.getProgramRuns()));
        } else {
            MergedResult m = status.getResult() == null ? new MergedResult() : status.getResult();
            histograms = orEmpty(m.getHistograms()).stream().map(HistogramSummary::toHistogram).toList();
            counts = orEmpty(m.getCounts()).stream().map(CountSummary::toCountRow).toList();
            events = orZero(m.getEventCount());
            lost = orZero(m.getLostEvents());
            long runs = orEmpty(status.getNodes()).stream()
                    .filter(n -> n.getPhase() == NodeTracePhase.Succeeded)
                    .mapToLong(n -> orZero(n.getProgramRuns())).sum();
            programs = cost(m.getKernelNsPerEvent(), runs);
        }
        if (gadget.output() == dev.kgadget.api.catalog.OutputKind.STACKS && !docs.isEmpty()) {
            counts = stacks(docs, onlyNode); // every stack, not just the status's top ones
        }
        return new GadgetResult(gadget.name(), params(gadget, job), instant(status.getStartTime()),
                job.getSpec().traceDuration().toMillis(), "completed", gadget.output(), histograms, counts,
                events(job, docs), events, lost, programs);
    }

    /** The nodes' stacks merged by folded key (or one node's), from their results documents. */
    static List<CountRow> stacks(List<NodeDocument> docs, String onlyNode) {
        Map<String, Long> merged = FoldedStacks.merge(docs.stream().filter(d -> onlyNode == null || onlyNode.equals(d.node()))
                .map(d -> FoldedStacks.ofDocument(d.json())).toList());
        List<CountRow> rows = new ArrayList<>();
        merged.forEach((k, v) -> rows.add(new CountRow(k, null, v, null)));
        rows.sort(Comparator.comparingLong(CountRow::count).reversed().thenComparing(CountRow::name));
        return rows;
    }

    static NodeStatusEntry entry(TraceJobStatus status, String node) {
        return orEmpty(status.getNodes()).stream().filter(n -> node.equals(n.getNode())).findFirst()
                .orElseThrow(() -> new InvalidParameterException("--node " + node + ": the job ran on "
                        + (orEmpty(status.getNodes()).isEmpty() ? "no node"
                        : String.join(", ", orEmpty(status.getNodes()).stream().map(NodeStatusEntry::getNode).toList()))));
    }

    /** The kernel cost in the result model: one "total" program with the nodes' runs. */
    private static List<ProgramCost> cost(Double nsPerEvent, long runs) {
        if (nsPerEvent == null) {
            return List.of();
        }
        long n = runs > 0 ? runs : 1;
        return List.of(new ProgramCost("total", n, Math.round(nsPerEvent * n), 0));
    }

    private static Map<String, Object> params(GadgetDescriptor gadget, TraceJob job) {
        try {
            return GadgetParams.of(gadget, job.getSpec().parametersOrEmpty()).asMap();
        } catch (InvalidParameterException e) {
            return new LinkedHashMap<>(job.getSpec().parametersOrEmpty());
        }
    }

    /** Every node's kept events, with node and pod first, in time order. */
    static List<EventRecord> events(TraceJob job, List<NodeDocument> docs) {
        List<EventRecord> all = new ArrayList<>();
        for (NodeDocument d : docs) {
            String pod = onlyPod(job, d.node());
            JsonNode events = d.json().get("events");
            if (events == null || !events.isArray()) {
                continue;
            }
            for (JsonNode e : events) {
                all.add(event(d.node(), job.getMetadata().getNamespace(), pod, null, e));
            }
        }
        all.sort(Comparator.comparing(r -> r.get("time") instanceof Instant t ? t : Instant.EPOCH));
        return all;
    }

    /**
     * One event in the CLI's model: {@code node}, {@code namespace}, {@code pod} and
     * {@code container} first (the event's own placement from the daemon wins over the defaults
     * given), then the gadget's fields, {@code time} as an Instant.
     */
    static EventRecord event(String node, String namespace, String pod, String container, JsonNode json) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("node", node);
        fields.put("namespace", namespace);
        fields.put("pod", pod);
        fields.put("container", container);
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = MAPPER.convertValue(json, Map.class);
        raw.forEach((k, v) -> {
            if (v != null || !fields.containsKey(k)) {
                fields.put(k, "time".equals(k) ? instantOr(v) : v);
            }
        });
        return new EventRecord(fields);
    }

    /** The pod of a node's events when the node had exactly one selected pod; else null ("-"). */
    private static String onlyPod(TraceJob job, String node) {
        if (job.getStatus() == null || job.getStatus().getTargets() == null) {
            return null;
        }
        for (TargetNode n : orEmpty(job.getStatus().getTargets().getNodes())) {
            if (node.equals(n.getNode()) && orEmpty(n.getPods()).size() == 1) {
                TargetPod p = n.getPods().get(0);
                return p.getName();
            }
        }
        return null;
    }

    /**
     * The {@code -o json|yaml} document: {@code job}, {@code namespace}, {@code phase},
     * {@code node} (with --node), the fields of a local run's JSON (events carry {@code node} and
     * {@code pod}), and {@code nodes[]} ({@code node, phase, reason, message, events, lostEvents,
     * kernelNsPerEvent}).
     */
    static ObjectNode document(TraceJob job, GadgetResult result, String onlyNode) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("job", job.getMetadata().getName());
        doc.put("namespace", job.getMetadata().getNamespace());
        doc.put("phase", job.getStatus().getPhase() == null ? null : job.getStatus().getPhase().name());
        if (onlyNode != null) {
            doc.put("node", onlyNode);
        }
        doc.setAll((ObjectNode) MAPPER.valueToTree(result));
        ArrayNode nodes = doc.putArray("nodes");
        for (NodeStatusEntry e : orEmpty(job.getStatus().getNodes())) {
            ObjectNode n = nodes.addObject();
            n.put("node", e.getNode());
            n.put("phase", e.getPhase() == null ? null : e.getPhase().name());
            n.put("reason", e.getReason());
            n.put("message", e.getMessage());
            n.put("events", e.getEvents());
            n.put("lostEvents", e.getLostEvents());
            n.put("kernelNsPerEvent", e.getKernelNsPerEvent());
        }
        return doc;
    }

    private static Object instantOr(Object v) {
        if (v instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                return s;
            }
        }
        return v;
    }

    private static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }
}
