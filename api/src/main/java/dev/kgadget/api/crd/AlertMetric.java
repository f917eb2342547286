package dev.kgadget.api.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a {@link ScheduleAlert} compares. */
public enum AlertMetric {
    @JsonProperty("p50") P50,
    @JsonProperty("p90") P90,
    @JsonProperty("p99") P99,
    @JsonProperty("eventCount") EVENT_COUNT,
    @JsonProperty("lostEvents") LOST_EVENTS;

    /** The name as written in the spec, e.g. p99. */
    public String wireName() {
        try {
            return AlertMetric.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
