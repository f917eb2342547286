package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One finished run of a schedule, as kept in its status for trends (the TraceJob itself may be pruned). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrendEntry {
    @JsonPropertyDescription("The TraceJob of this run")
    private String job;

    @JsonPropertyDescription("Its final phase")
    private TraceJobPhase phase;

    @JsonPropertyDescription("When it was scheduled (RFC 3339)")
    private String scheduledTime;

    @JsonPropertyDescription("When it ended (RFC 3339)")
    private String completionTime;

    @JsonPropertyDescription("Seconds from its start to its end")
    private Double durationSeconds;

    @JsonPropertyDescription("Histogram gadgets: values in the (first) histogram")
    private Long count;

    @JsonPropertyDescription("Histogram gadgets: its unit")
    private String unit;

    @JsonPropertyDescription("Histogram gadgets: estimated median")
    private Double p50;

    @JsonPropertyDescription("Histogram gadgets: estimated 90th percentile")
    private Double p90;

    @JsonPropertyDescription("Histogram gadgets: estimated 99th percentile")
    private Double p99;

    @JsonPropertyDescription("Events the kernel handed over")
    private Long eventCount;

    @JsonPropertyDescription("Events the kernel could not hand over")
    private Long lostEvents;

    @JsonPropertyDescription("Count gadgets: the top rows (name and count)")
    private List<CountSummary> top;

    @JsonPropertyDescription("The alerts this run fired, e.g. \"p99 2047 > 1000\"")
    private List<String> alerts;

    public String getJob() {
        return job;
    }

    public void setJob(String job) {
        this.job = job;
    }

    public TraceJobPhase getPhase() {
        return phase;
    }

    public void setPhase(TraceJobPhase phase) {
        this.phase = phase;
    }

    public String getScheduledTime() {
        return scheduledTime;
    }

    public void setScheduledTime(String scheduledTime) {
        this.scheduledTime = scheduledTime;
    }

    public String getCompletionTime() {
        return completionTime;
    }

    public void setCompletionTime(String completionTime) {
        this.completionTime = completionTime;
    }

    public Double getDurationSeconds() {
        return durationSeconds;
    }

    public void setDurationSeconds(Double durationSeconds) {
        this.durationSeconds = durationSeconds;
    }

    public Long getCount() {
        return count;
    }

    public void setCount(Long count) {
        this.count = count;
    }

    public String getUnit() {
        return unit;
    }

    public void setUnit(String unit) {
        this.unit = unit;
    }

    public Double getP50() {
        return p50;
    }

    public void setP50(Double p50) {
        this.p50 = p50;
    }

    public Double getP90() {
        return p90;
    }

    public void setP90(Double p90) {
        this.p90 = p90;
    }

    public Double getP99() {
        return p99;
    }

    public void setP99(Double p99) {
        this.p99 = p99;
    }

    public Long getEventCount() {
        return eventCount;
    }

    public void setEventCount(Long eventCount) {
        this.eventCount = eventCount;
    }

    public Long getLostEvents() {
        return lostEvents;
    }

    public void setLostEvents(Long lostEvents) {
        this.lostEvents = lostEvents;
    }

    public List<CountSummary> getTop() {
        return top;
    }

    public void setTop(List<CountSummary> top) {
        this.top = top;
    }

    public List<String> getAlerts() {
        return alerts;
    }

    public void setAlerts(List<String> alerts) {
        this.alerts = alerts;
    }
}
