package dev.kgadget.cli.cluster;

import dev.kgadget.api.catalog.InvalidParameterException;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -l} as kubectl reads it: comma-separated requirements, each {@code key=value},
 * {@code key==value}, {@code key!=value}, {@code key in (a,b)}, {@code key notin (a,b)},
 * {@code key} or {@code !key}; equalities become matchLabels, the rest matchExpressions.
 */
final class LabelSelectors {
    private static final String NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
    private static final Pattern KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?" + NAME);
    private static final Pattern VALUE = Pattern.compile("(" + NAME + ")?");
    private static final Pattern SET = Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$");
    private static final Pattern EQUALITY = Pattern.compile("^([^=!\\s]+)\\s*(==|=|!=)\\s*(\\S*)$");

    private LabelSelectors() {
    }

    /** @throws InvalidParameterException naming the requirement that is wrong */
    static LabelSelector parse(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        List<LabelSelectorRequirement> expressions = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return new LabelSelector(expressions, labels);
        }
        for (String raw : split(text)) {
            String r = raw.strip();
            if (r.isEmpty()) {
                throw bad(text, "an empty requirement (two commas, or a trailing comma)");
            }
            Matcher set = SET.matcher(r);
            Matcher eq = EQUALITY.matcher(r);
            if (set.matches()) {
                String key = key(text, set.group(1));
                List<String> values = new ArrayList<>();
                for (String v : set.group(3).split(",", -1)) {
                    values.add(value(text, v.strip()));
                }
                if (values.size() == 1 && values.get(0).isEmpty()) {
                    throw bad(text, "'" + r + "' has an empty value set");
                }
                expressions.add(new LabelSelectorRequirement(key, set.group(2).equals("in") ? "In" : "NotIn", values));
            } else if (eq.matches()) {
                String key = key(text, eq.group(1));
                String value = value(text, eq.group(3));
                if (eq.group(2).equals("!=")) {
                    expressions.add(new LabelSelectorRequirement(key, "NotIn", List.of(value)));
                } else if (labels.containsKey(key) && !labels.get(key).equals(value)) {
                    expressions.add(new LabelSelectorRequirement(key, "In", List.of(value)));
                } else {
                    labels.put(key, value);
                }
            } else if (r.startsWith("!")) {
                expressions.add(new LabelSelectorRequirement(key(text, r.substring(1).strip()), "DoesNotExist", List.of()));
            } else if (!r.contains(" ") && !r.contains("(") && !r.contains("=")) {
                expressions.add(new LabelSelectorRequirement(key(text, r), "Exists", List.of()));
            } else {
                throw bad(text, "cannot read '" + r + "'; use key=value, key!=value, 'key in (a,b)', "
                        + "'key notin (a,b)', key or !key");
            }
        }
        return new LabelSelector(expressions, labels);
    }

    /** Splits at commas outside parentheses. */
    private static List<String> split(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw bad(text, "unbalanced ')'");
                }
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw bad(text, "unbalanced '('");
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static String key(String text, String key) {
        if (!KEY.matcher(key).matches() || key.length() > 253 + 1 + 63) {
            throw bad(text, "'" + key + "' is not a valid label key (name or prefix/name: letters, digits, '-', '_', '.')");
        }
        return key;
    }

    private static String value(String text, String value) {
        if (!VALUE.matcher(value).matches()) {
            throw bad(text, "'" + value + "' is not a valid label value (at most 63 letters, digits, '-', '_', '.')");
        }
        return value;
    }

    private static InvalidParameterException bad(String text, String why) {
        return new InvalidParameterException("bad selector -l '" + text + "': " + why);
    }

    /** The selector as kubectl prints it: {@code app=x,tier notin (a,b)}; "<all pods>" when empty. */
    static String format(LabelSelector s) {
        List<String> parts = new ArrayList<>();
        if (s != null && s.getMatchLabels() != null) {
            s.getMatchLabels().forEach((k, v) -> parts.add(k + "=" + v));
        }
        if (s != null && s.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : s.getMatchExpressions()) {
                parts.add(switch (r.getOperator()) {
                    case "In" -> r.getKey() + " in (" + String.join(",", r.getValues()) + ")";
                    case "NotIn" -> r.getKey() + " notin (" + String.join(",", r.getValues()) + ")";
                    case "Exists" -> r.getKey();
                    case "DoesNotExist" -> "!" + r.getKey();
                    default -> r.getKey() + " " + r.getOperator() + " " + r.getValues();
                });
            }
        }
        return parts.isEmpty() ? "<all pods of the namespace>" : String.join(",", parts);
    }
}
