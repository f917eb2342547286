package dev.kgadget.operator;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Kubernetes label selector semantics (matchLabels AND every matchExpression), checked
 * up front so a bad selector fails the job with a reason naming the field, instead of
 * matching nothing or everything.
 */
public final class PodSelection {
    private PodSelection() {
    }

    /** Thrown for a selector the API server would reject in a Deployment; the message names the field. */
    public static final class InvalidSelectorException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidSelectorException(String message) {
            super(message);
        }
    }

    /**
     * @param field the path of the selector in the spec, for messages (e.g. spec.selector.podSelector)
     */
    public static Predicate<Map<String, String>> compile(LabelSelector selector, String field) {
        if (selector == null) {
            throw new InvalidSelectorException(field + " is required: an empty selection never means \"every pod\"");
        }
        Map<String, String> labels = selector.getMatchLabels() == null ? Map.of() : Map.copyOf(selector.getMatchLabels());
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of()
                : List.copyOf(selector.getMatchExpressions());
        if (labels.isEmpty() && expressions.isEmpty()) {
            throw new InvalidSelectorException(field + " selects every pod of the namespace; give matchLabels or"
                    + " matchExpressions");
        }
        for (int i = 0; i < expressions.size(); i++) {
            check(expressions.get(i), field + ".matchExpressions[" + i + "]");
        }
        return podLabels -> {
            Map<String, String> l = podLabels == null ? Map.of() : podLabels;
            for (Map.Entry<String, String> e : labels.entrySet()) {
                if (!Objects.equals(l.get(e.getKey()), e.getValue())) {
                    return false;
                }
            }
            for (LabelSelectorRequirement r : expressions) {
                if (!matches(r, l)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static void check(LabelSelectorRequirement r, String field) {
        if (r.getKey() == null || r.getKey().isBlank()) {
            throw new InvalidSelectorException(field + ".key is required");
        }
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String op = r.getOperator();
        if ("In".equals(op) || "NotIn".equals(op)) {
            if (values.isEmpty()) {
                throw new InvalidSelectorException(field + ".values must not be empty for operator " + op);
            }
        } else if ("Exists".equals(op) || "DoesNotExist".equals(op)) {
            if (!values.isEmpty()) {
                throw new InvalidSelectorException(field + ".values must be empty for operator " + op);
            }
        } else {
            throw new InvalidSelectorException(field + ".operator '" + op + "' is not one of In, NotIn, Exists, DoesNotExist");
        }
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String v = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> v != null && r.getValues().contains(v);
            case "NotIn" -> v == null || !r.getValues().contains(v);
            case "Exists" -> labels.containsKey(r.getKey());
            default -> !labels.containsKey(r.getKey()); // DoesNotExist
        };
    }
}
