package dev.kgadget.api.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parameter values checked against a gadget's descriptor, with defaults filled in. */
public final class GadgetParams {
    private final Map<String, Object> values;

    private GadgetParams(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * @throws InvalidParameterException for an unknown name (listing the known ones) or a bad value
     */
    public static GadgetParams of(GadgetDescriptor gadget, Map<String, String> raw) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec spec : gadget.params()) {
            values.put(spec.name(), spec.parse(spec.defaultValue()));
        }
        for (Map.Entry<String, String> e : raw.entrySet()) {
            ParamSpec spec = gadget.param(e.getKey()).orElseThrow(() -> new InvalidParameterException(
                    "gadget " + gadget.name() + " has no parameter '" + e.getKey() + "'"
                            + NameSuggestions.didYouMean(e.getKey(),
                            gadget.params().stream().map(ParamSpec::name).toList())
                            + " (its parameters: " + known(gadget) + ")"));
            values.put(spec.name(), spec.parse(e.getValue()));
        }
        return new GadgetParams(values);
    }

    private static String known(GadgetDescriptor gadget) {
        return gadget.params().isEmpty() ? "none"
                : String.join(", ", gadget.params().stream().map(ParamSpec::name).toList());
    }

    public boolean bool(String name) {
        return (Boolean) require(name);
    }

    public long integer(String name) {
        return (Long) require(name);
    }

    public Map<String, Object> asMap() {
        return values;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("no parameter " + name + " in the descriptor");
        }
        return v;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
