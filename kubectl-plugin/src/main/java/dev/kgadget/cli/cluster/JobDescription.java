package dev.kgadget.cli.cluster;

import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.TargetContainer;
import dev.kgadget.api.crd.TargetNode;
import dev.kgadget.api.crd.TargetPod;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobSelector;
import dev.kgadget.api.crd.TraceJobSpec;
import dev.kgadget.api.crd.TraceJobStatus;

import io.fabric8.kubernetes.api.model.Condition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code kubectl gadget describe}: a job's spec, targets, per-node status and conditions, like kubectl describe. */
final class JobDescription {
    private JobDescription() {
    }

    static List<String> render(TraceJob job, Instant now) {
        List<String> out = new ArrayList<>();
        TraceJobSpec spec = job.getSpec();
        TraceJobSelector sel = spec.getSelector();
        TraceJobStatus st = job.getStatus() == null ? new TraceJobStatus() : job.getStatus();
        field(out, "Name", job.getMetadata().getName());
        field(out, "Namespace", job.getMetadata().getNamespace());
        field(out, "Created", job.getMetadata().getCreationTimestamp() + " ("
                + JobTable.age(job.getMetadata().getCreationTimestamp(), now) + " ago)");
        field(out, "Gadget", spec.getGadget());
        field(out, "Duration", spec.getDuration() == null ? TraceJobSpec.DEFAULT_DURATION + " (default)" : spec.getDuration());
        field(out, "Parameters", spec.parametersOrEmpty().isEmpty() ? "<none>" : spec.parametersOrEmpty().entrySet()
                .stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
        field(out, "Selector", sel == null ? "<none>" : LabelSelectors.format(sel.getPodSelector()));
        field(out, "Node", sel == null || sel.getNodeName() == null ? "<any>" : sel.getNodeName());
        if (sel != null && sel.getNodeSelector() != null && !sel.getNodeSelector().isEmpty()) {
            field(out, "Node Selector", format(sel.getNodeSelector()));
        }
        field(out, "Container", sel == null || sel.getContainerName() == null ? "<all>" : sel.getContainerName());
        field(out, "Max Events", Integer.toString(spec.maxEventsOrDefault()));
        field(out, "Phase", st.getPhase() == null ? "Pending" : st.getPhase().name());
        field(out, "Nodes Done", st.getProgress() == null ? "-" : st.getProgress());
        field(out, "Started", st.getStartTime() == null ? "-" : st.getStartTime());
        field(out, "Completed", st.getCompletionTime() == null ? "-" : st.getCompletionTime());
        field(out, "Results", st.getResultsConfigMap() == null ? "-" : "ConfigMap " + st.getResultsConfigMap());

        if (st.getTargets() == null) {
            out.add("Targets:       <none>");
        } else {
            out.add("Targets:       " + n(st.getTargets().getPods()) + " pod(s), " + n(st.getTargets().getContainers())
                    + " container(s)");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("NODE", "POD", "CONTAINER", "CONTAINER ID"));
            for (TargetNode tn : orEmpty(st.getTargets().getNodes())) {
                for (TargetPod p : orEmpty(tn.getPods())) {
                    for (TargetContainer c : orEmpty(p.getContainers())) {
                        rows.add(List.of(tn.getNode(), p.getName(), c.getName(),
                                c.getContainerId() == null || c.getContainerId().isEmpty() ? "-" : c.getContainerId()));
                    }
                }
            }
            table(out, rows);
        }

        if (orEmpty(st.getNodes()).isEmpty()) {
            out.add("Node Status:   <none>");
        } else {
            out.add("Node Status:");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("NODE", "PHASE", "REASON", "CGROUPS", "UNRESOLVED", "EVENTS", "LOST", "KERNEL(ns/ev)"));
            for (NodeStatusEntry e : st.getNodes()) {
                rows.add(List.of(e.getNode(), e.getPhase() == null ? "-" : e.getPhase().name(),
                        e.getReason() == null ? "-" : e.getReason(), n(e.getCgroupsMatched()), n(e.getContainersUnresolved()),
                        n(e.getEvents()), n(e.getLostEvents()),
                        e.getKernelNsPerEvent() == null ? "-" : String.format(Locale.ROOT, "%.0f", e.getKernelNsPerEvent())));
            }
            table(out, rows);
            for (NodeStatusEntry e : st.getNodes()) {
                if (e.getMessage() != null && !e.getMessage().isBlank()) {
                    out.add("  " + e.getNode() + ": " + e.getMessage());
                }
            }
        }

        if (orEmpty(st.getConditions()).isEmpty()) {
            out.add("Conditions:    <none>");
        } else {
            out.add("Conditions:");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("TYPE", "STATUS", "REASON", "MESSAGE"));
            for (Condition c : st.getConditions()) {
                rows.add(List.of(c.getType(), s(c.getStatus()), s(c.getReason()), s(c.getMessage())));
            }
            table(out, rows);
        }
        return out;
    }

    private static void field(List<String> out, String name, String value) {
        String label = name + ":";
        out.add(label + " ".repeat(Math.max(1, 15 - label.length())) + value);
    }

    /** Indented two blanks, columns three blanks apart, the last one unpadded. */
    private static void table(List<String> out, List<List<String>> rows) {
        int[] w = new int[rows.get(0).size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        for (List<String> r : rows) {
            StringBuilder sb = new StringBuilder("  ");
            for (int i = 0; i < r.size(); i++) {
                sb.append(r.get(i));
                if (i < r.size() - 1) {
                    sb.append(" ".repeat(w[i] - r.get(i).length() + 3));
                }
            }
            out.add(sb.toString().stripTrailing());
        }
    }

    private static String format(Map<String, String> m) {
        return m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private static String n(Number v) {
        return v == null ? "-" : v.toString();
    }

    private static String s(String v) {
        return v == null || v.isEmpty() ? "-" : v;
    }

    private static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }
}
