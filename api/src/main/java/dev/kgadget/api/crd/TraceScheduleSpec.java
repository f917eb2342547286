package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * When to run which TraceJob, as CronJob does for Jobs: a cron schedule in a time zone, what to
 * do with overlapping runs, how many finished runs to keep, and alert thresholds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TraceScheduleSpec {
    @Required
    @JsonPropertyDescription("Cron schedule, 5 fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly")
    private String schedule;

    @JsonPropertyDescription("IANA time zone the schedule is read in, e.g. Europe/Berlin (default: UTC)")
    private String timeZone;

    @Default("false")
    @JsonPropertyDescription("No new runs while true (running ones finish)")
    private Boolean suspend = false;

    @Default("Forbid")
    @JsonPropertyDescription("Forbid: skip a run while the previous one runs; Replace: stop the previous one")
    private ConcurrencyPolicy concurrencyPolicy = ConcurrencyPolicy.Forbid;

    @Min(0)
    @JsonPropertyDescription("A run more than this late (e.g. the operator was down) is missed rather than started")
    private Long startingDeadlineSeconds;

    @Default("3")
    @Min(0)
    @JsonPropertyDescription("Succeeded TraceJobs kept (older ones are deleted with their results)")
    private Integer successfulJobsHistoryLimit = 3;

    @Default("1")
    @Min(0)
    @JsonPropertyDescription("Failed TraceJobs kept")
    private Integer failedJobsHistoryLimit = 1;

    @Default("10")
    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Finished runs kept in status.trend")
    private Integer trendLength = 10;

    @Required
    @JsonPropertyDescription("The TraceJob spec of every run")
    private TraceJobSpec jobTemplate;

    @JsonPropertyDescription("Thresholds checked on every finished run")
    private List<ScheduleAlert> alerts;

    public String getSchedule() {
        return schedule;
    }

    public void setSchedule(String schedule) {
        this.schedule = schedule;
    }

    public String getTimeZone() {
        return timeZone;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }

    public ConcurrencyPolicy getConcurrencyPolicy() {
        return concurrencyPolicy;
    }

    public void setConcurrencyPolicy(ConcurrencyPolicy concurrencyPolicy) {
        this.concurrencyPolicy = concurrencyPolicy;
    }

    public Long getStartingDeadlineSeconds() {
        return startingDeadlineSeconds;
    }

    public void setStartingDeadlineSeconds(Long startingDeadlineSeconds) {
        this.startingDeadlineSeconds = startingDeadlineSeconds;
    }

    public Integer getSuccessfulJobsHistoryLimit() {
        return successfulJobsHistoryLimit;
    }

    public void setSuccessfulJobsHistoryLimit(Integer successfulJobsHistoryLimit) {
        this.successfulJobsHistoryLimit = successfulJobsHistoryLimit;
    }

    public Integer getFailedJobsHistoryLimit() {
        return failedJobsHistoryLimit;
    }

    public void setFailedJobsHistoryLimit(Integer failedJobsHistoryLimit) {
        this.failedJobsHistoryLimit = failedJobsHistoryLimit;
    }

    public Integer getTrendLength() {
        return trendLength;
    }

    public void setTrendLength(Integer trendLength) {
        this.trendLength = trendLength;
    }

    public TraceJobSpec getJobTemplate() {
        return jobTemplate;
    }

    public void setJobTemplate(TraceJobSpec jobTemplate) {
        this.jobTemplate = jobTemplate;
    }

    public List<ScheduleAlert> getAlerts() {
        return alerts;
    }

    public void setAlerts(List<ScheduleAlert> alerts) {
        this.alerts = alerts;
    }
}
