package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

import java.util.Objects;

/** Limits on what a TraceJob keeps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TraceJobOutput {
    public static final int DEFAULT_MAX_EVENTS = 1000;
    public static final int MAX_MAX_EVENTS = 100_000;

    @Default("1000")
    @Min(0)
    @Max(MAX_MAX_EVENTS)
    @JsonPropertyDescription("Event gadgets: events kept per job (the rest are counted, not kept); 0 keeps none")
    private Integer maxEvents = DEFAULT_MAX_EVENTS;

    public TraceJobOutput() {
    }

    public TraceJobOutput(Integer maxEvents) {
        this.maxEvents = maxEvents;
    }

    public Integer getMaxEvents() {
        return maxEvents;
    }

    public void setMaxEvents(Integer maxEvents) {
        this.maxEvents = maxEvents;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceJobOutput t && Objects.equals(maxEvents, t.maxEvents);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(maxEvents);
    }

    @Override
    public String toString() {
        return "TraceJobOutput{maxEvents=" + maxEvents + "}";
    }
}
