package dev.kgadget.api.crd;

import dev.kgadget.api.catalog.TraceDuration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What to trace, where and for how long. The schema checks the shape (gadget name, duration
 * syntax and bounds); the operator checks the parameters against the gadget's catalog entry.
 */
@SchemaCustomizer(value = GadgetNameEnum.class, input = "gadget")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TraceJobSpec {
    /** The schema default of {@code duration}; equals {@link TraceDuration#DEFAULT} (tested). */
    public static final String DEFAULT_DURATION = "10s";
    /** Same syntax as {@link TraceDuration#parse}. */
    public static final String DURATION_PATTERN = "^([0-9]+(ms|s|m|h))+$";
    /** CEL bounds of {@code duration}; equal {@link TraceDuration#MIN} and {@link TraceDuration#MAX} (tested). */
    public static final String DURATION_RULE = "duration(self) >= duration('100ms') && duration(self) <= duration('1h')";
    public static final String DURATION_RULE_MESSAGE = "duration must be between 100ms and 1h";

    @Required
    @PrinterColumn(name = "Gadget")
    @JsonPropertyDescription("The gadget to run, one of the catalog's names (kgadget list)")
    private String gadget;

    @Required
    @JsonPropertyDescription("The pods (and optionally nodes and container) to trace; only pods in this TraceJob's namespace")
    private TraceJobSelector selector;

    @Default(DEFAULT_DURATION)
    @Pattern(DURATION_PATTERN)
    @Size(max = 32)
    @ValidationRule(value = DURATION_RULE, message = DURATION_RULE_MESSAGE)
    @JsonPropertyDescription("How long to trace once attached, e.g. 500ms, 10s, 2m, 1m30s; at least 100ms, at most 1h")
    private String duration = DEFAULT_DURATION;

    @JsonPropertyDescription("Gadget parameters as strings, e.g. per-disk: \"true\", top: \"20\"; "
            + "checked against the gadget's typed parameters by the operator")
    private Map<String, String> parameters;

    @Default("{}")
    @JsonPropertyDescription("Limits on what is kept")
    private TraceJobOutput output = new TraceJobOutput();

    public String getGadget() {
        return gadget;
    }

    public void setGadget(String gadget) {
        this.gadget = gadget;
    }

    public TraceJobSelector getSelector() {
        return selector;
    }

    public void setSelector(TraceJobSelector selector) {
        this.selector = selector;
    }

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }

    public Map<String, String> getParameters() {
        return parameters;
    }

    public void setParameters(Map<String, String> parameters) {
        this.parameters = parameters;
    }

    public TraceJobOutput getOutput() {
        return output;
    }

    public void setOutput(TraceJobOutput output) {
        this.output = output;
    }

    /**
     * {@code duration} parsed and bounds-checked (the default when unset).
     *
     * @throws dev.kgadget.api.catalog.InvalidParameterException as for {@link TraceDuration#parse}
     */
    public Duration traceDuration() {
        return TraceDuration.parse(duration == null ? DEFAULT_DURATION : duration);
    }

    /** {@code parameters}, never null. */
    public Map<String, String> parametersOrEmpty() {
        return parameters == null ? Map.of() : parameters;
    }

    /** {@code output.maxEvents}, or its default when unset. */
    public int maxEventsOrDefault() {
        return output == null || output.getMaxEvents() == null ? TraceJobOutput.DEFAULT_MAX_EVENTS
                : output.getMaxEvents();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceJobSpec s && Objects.equals(gadget, s.gadget)
                && Objects.equals(selector, s.selector) && Objects.equals(duration, s.duration)
                && Objects.equals(parameters, s.parameters) && Objects.equals(output, s.output);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gadget, selector, duration, parameters, output);
    }

    @Override
    public String toString() {
        return "TraceJobSpec{gadget=" + gadget + ", selector=" + selector + ", duration=" + duration
                + ", parameters=" + parameters + ", output=" + output + "}";
    }
}
