package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

import java.util.List;
import java.util.Objects;

/**
 * {@code status.nodes[]}: one node's part of a TraceJob, written by that node's daemon with its
 * own field manager (server-side apply). {@code node} is the list-map key, so it is required.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeStatusEntry {
    @Required
    @JsonPropertyDescription("Node name (the key of this list)")
    private String node;

    @JsonPropertyDescription("Pending, Running, Succeeded, Failed or TimedOut")
    private NodeTracePhase phase;

    @JsonPropertyDescription("CamelCase reason of the phase, e.g. HookMissing")
    private String reason;

    @JsonPropertyDescription("Human-readable detail")
    private String message;

    @JsonPropertyDescription("Cgroups in the kernel filter")
    private Integer cgroupsMatched;

    @JsonPropertyDescription("Target containers whose cgroup was not found")
    private Integer containersUnresolved;

    @JsonPropertyDescription("Events received from the kernel")
    private Long events;

    @JsonPropertyDescription("Events the kernel could not hand over (ring buffer full)")
    private Long lostEvents;

    @JsonPropertyDescription("In-kernel cost: BPF program run time per run, in ns")
    private Double kernelNsPerEvent;

    @JsonPropertyDescription("BPF program runs behind kernelNsPerEvent (weights it when nodes are merged)")
    private Long programRuns;

    @JsonPropertyDescription("Histogram gadgets: this node's histograms")
    private List<HistogramSummary> histograms;

    @JsonPropertyDescription("Counting gadgets: this node's rows")
    private List<CountSummary> counts;

    @JsonPropertyDescription("When tracing started on this node (RFC 3339)")
    private String startedAt;

    @JsonPropertyDescription("When tracing ended on this node (RFC 3339)")
    private String finishedAt;

    public NodeStatusEntry() {
    }

    public NodeStatusEntry(String node) {
        this.node = node;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public NodeTracePhase getPhase() {
        return phase;
    }

    public void setPhase(NodeTracePhase phase) {
        this.phase = phase;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public Integer getCgroupsMatched() {
        return cgroupsMatched;
    }

    public void setCgroupsMatched(Integer cgroupsMatched) {
        this.cgroupsMatched = cgroupsMatched;
    }

    public Integer getContainersUnresolved() {
        return containersUnresolved;
    }

    public void setContainersUnresolved(Integer containersUnresolved) {
        this.containersUnresolved = containersUnresolved;
    }

    public Long getEvents() {
        return events;
    }

    public void setEvents(Long events) {
        this.events = events;
    }

    public Long getLostEvents() {
        return lostEvents;
    }

    public void setLostEvents(Long lostEvents) {
        this.lostEvents = lostEvents;
    }

    public Double getKernelNsPerEvent() {
        return kernelNsPerEvent;
    }

    public void setKernelNsPerEvent(Double kernelNsPerEvent) {
        this.kernelNsPerEvent = kernelNsPerEvent;
    }

    public Long getProgramRuns() {
        return programRuns;
    }

    public void setProgramRuns(Long programRuns) {
        this.programRuns = programRuns;
    }

    public List<HistogramSummary> getHistograms() {
        return histograms;
    }

    public void setHistograms(List<HistogramSummary> histograms) {
        this.histograms = histograms;
    }

    public List<CountSummary> getCounts() {
        return counts;
    }

    public void setCounts(List<CountSummary> counts) {
        this.counts = counts;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(String finishedAt) {
        this.finishedAt = finishedAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeStatusEntry n && Objects.equals(node, n.node) && phase == n.phase
                && Objects.equals(reason, n.reason) && Objects.equals(message, n.message)
                && Objects.equals(cgroupsMatched, n.cgroupsMatched)
                && Objects.equals(containersUnresolved, n.containersUnresolved)
                && Objects.equals(events, n.events) && Objects.equals(lostEvents, n.lostEvents)
                && Objects.equals(kernelNsPerEvent, n.kernelNsPerEvent)
                && Objects.equals(programRuns, n.programRuns) && Objects.equals(histograms, n.histograms)
                && Objects.equals(counts, n.counts) && Objects.equals(startedAt, n.startedAt)
                && Objects.equals(finishedAt, n.finishedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, phase, reason, message, cgroupsMatched, containersUnresolved, events, lostEvents,
                kernelNsPerEvent, programRuns, histograms, counts, startedAt, finishedAt);
    }

    @Override
    public String toString() {
        return "NodeStatusEntry{node=" + node + ", phase=" + phase + ", reason=" + reason + ", message=" + message
                + ", cgroupsMatched=" + cgroupsMatched + ", containersUnresolved=" + containersUnresolved
                + ", events=" + events + ", lostEvents=" + lostEvents + ", kernelNsPerEvent=" + kernelNsPerEvent
                + ", programRuns=" + programRuns + ", histograms=" + histograms + ", counts=" + counts
                + ", startedAt=" + startedAt + ", finishedAt=" + finishedAt + "}";
    }
}
