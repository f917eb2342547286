package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A threshold on every finished run of a schedule; when a run is above it the alert fires. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduleAlert {
    @Required
    @JsonPropertyDescription("What is compared: p50, p90 or p99 (of a histogram, in its unit), eventCount, lostEvents")
    private AlertMetric metric;

    @Required
    @JsonPropertyDescription("The alert fires when the run's value is above this")
    private Double above;

    @JsonPropertyDescription("For p50/p90/p99: the histogram label (default: the first histogram)")
    private String histogram;

    public AlertMetric getMetric() {
        return metric;
    }

    public void setMetric(AlertMetric metric) {
        this.metric = metric;
    }

    public Double getAbove() {
        return above;
    }

    public void setAbove(Double above) {
        this.above = above;
    }

    public String getHistogram() {
        return histogram;
    }

    public void setHistogram(String histogram) {
        this.histogram = histogram;
    }
}
