package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Objects;

/**
 * What a TraceJob did. Two kinds of writers, each with its own field manager (server-side
 * apply): the operator writes everything but {@code nodes}; each node daemon applies only its own
 * {@code nodes[]} entry, which the schema makes a list-map keyed by {@code node} so one node's
 * apply never removes another's.
 *
 * <p>Every field is nullable and null fields are not serialized: an apply carries exactly the
 * fields its manager owns (a daemon's {@code new TraceJobStatus()} with only {@code nodes} set
 * claims nothing else).
 */
@SchemaCustomizer(value = ListMapKeys.class, input = "nodes:node")
@SchemaCustomizer(value = ListMapKeys.class, input = "conditions:!type")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TraceJobStatus {
    @PrinterColumn(name = "Phase")
    @JsonPropertyDescription("Pending, Running, Succeeded, PartiallySucceeded or Failed")
    private TraceJobPhase phase;

    @JsonPropertyDescription("Latest observations of the job's state (Accepted, Running, Complete ...)")
    private List<Condition> conditions;

    @JsonPropertyDescription("The metadata.generation the operator last acted on")
    private Long observedGeneration;

    @JsonPropertyDescription("When the first node started tracing (RFC 3339)")
    private String startTime;

    @JsonPropertyDescription("When the last node finished (RFC 3339)")
    private String completionTime;

    @PrinterColumn(name = "Nodes")
    @JsonPropertyDescription("Nodes done / nodes involved, e.g. 1/2")
    private String progress;

    @JsonPropertyDescription("The pods and containers the selector resolved to, per node")
    private TargetsStatus targets;

    @JsonPropertyDescription("One entry per node, written by that node's daemon (list-map keyed by node)")
    private List<NodeStatusEntry> nodes;

    @JsonPropertyDescription("The nodes' results merged: histograms bucket-wise, counts by name and pid, totals")
    private MergedResult result;

    @JsonPropertyDescription("Name of the ConfigMap (this namespace) holding the full results")
    private String resultsConfigMap;

    /** The {@code progress} text: {@code "1/2"}. */
    public static String progress(int done, int total) {
        return done + "/" + total;
    }

    public TraceJobPhase getPhase() {
        return phase;
    }

    public void setPhase(TraceJobPhase phase) {
        this.phase = phase;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getCompletionTime() {
        return completionTime;
    }

    public void setCompletionTime(String completionTime) {
        this.completionTime = completionTime;
    }

    public String getProgress() {
        return progress;
    }

    public void setProgress(String progress) {
        this.progress = progress;
    }

    public TargetsStatus getTargets() {
        return targets;
    }

    public void setTargets(TargetsStatus targets) {
        this.targets = targets;
    }

    public List<NodeStatusEntry> getNodes() {
        return nodes;
    }

    public void setNodes(List<NodeStatusEntry> nodes) {
        this.nodes = nodes;
    }

    public MergedResult getResult() {
        return result;
    }

    public void setResult(MergedResult result) {
        this.result = result;
    }

    public String getResultsConfigMap() {
        return resultsConfigMap;
    }

    public void setResultsConfigMap(String resultsConfigMap) {
        this.resultsConfigMap = resultsConfigMap;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceJobStatus s && phase == s.phase && Objects.equals(conditions, s.conditions)
                && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(startTime, s.startTime) && Objects.equals(completionTime, s.completionTime)
                && Objects.equals(progress, s.progress) && Objects.equals(targets, s.targets)
                && Objects.equals(nodes, s.nodes) && Objects.equals(result, s.result)
                && Objects.equals(resultsConfigMap, s.resultsConfigMap);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, conditions, observedGeneration, startTime, completionTime, progress, targets,
                nodes, result, resultsConfigMap);
    }

    @Override
    public String toString() {
        return "TraceJobStatus{phase=" + phase + ", progress=" + progress + ", observedGeneration="
                + observedGeneration + ", startTime=" + startTime + ", completionTime=" + completionTime
                + ", conditions=" + conditions + ", targets=" + targets + ", nodes=" + nodes
                + ", result=" + result + ", resultsConfigMap=" + resultsConfigMap + "}";
    }
}
