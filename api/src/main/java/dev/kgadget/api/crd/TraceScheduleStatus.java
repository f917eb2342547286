package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What a schedule did: its last runs, those running, runs missed or skipped, and its trend. */
@SchemaCustomizer(value = ListMapKeys.class, input = "conditions:!type")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TraceScheduleStatus {
    @PrinterColumn(name = "Last Schedule")
    @JsonPropertyDescription("The last time a run was due (RFC 3339)")
    private String lastScheduleTime;

    @JsonPropertyDescription("The last time a run succeeded (RFC 3339)")
    private String lastSuccessfulTime;

    @JsonPropertyDescription("TraceJobs of this schedule that are running")
    private List<String> active;

    @JsonPropertyDescription("Runs that were due but not started in time (e.g. the operator was down), in total")
    private Long missedRuns;

    @JsonPropertyDescription("Runs skipped because the previous one still ran (Forbid), in total")
    private Long skippedRuns;

    @JsonPropertyDescription("The last finished runs, oldest first")
    private List<TrendEntry> trend;

    @JsonPropertyDescription("ScheduleValid, Alerting")
    private List<Condition> conditions;

    @JsonPropertyDescription("The metadata.generation the operator last acted on")
    private Long observedGeneration;

    public String getLastScheduleTime() {
        return lastScheduleTime;
    }

    public void setLastScheduleTime(String lastScheduleTime) {
        this.lastScheduleTime = lastScheduleTime;
    }

    public String getLastSuccessfulTime() {
        return lastSuccessfulTime;
    }

    public void setLastSuccessfulTime(String lastSuccessfulTime) {
        this.lastSuccessfulTime = lastSuccessfulTime;
    }

    public List<String> getActive() {
        return active;
    }

    public void setActive(List<String> active) {
        this.active = active;
    }

    public Long getMissedRuns() {
        return missedRuns;
    }

    public void setMissedRuns(Long missedRuns) {
        this.missedRuns = missedRuns;
    }

    public Long getSkippedRuns() {
        return skippedRuns;
    }

    public void setSkippedRuns(Long skippedRuns) {
        this.skippedRuns = skippedRuns;
    }

    public List<TrendEntry> getTrend() {
        return trend;
    }

    public void setTrend(List<TrendEntry> trend) {
        this.trend = trend;
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
}
