package dev.kgadget.api.catalog;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trace durations as SREs type them ("30s", "1m30s", "500ms", "2h") and the bounds every
 * entry point enforces: a trace always ends by itself.
 */
public final class TraceDuration {
    public static final Duration DEFAULT = Duration.ofSeconds(10);
    public static final Duration MIN = Duration.ofMillis(100);
    public static final Duration MAX = Duration.ofHours(1);

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    private TraceDuration() {
    }

    /** @throws InvalidParameterException for malformed, non-positive or over-long values */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("-")) {
            throw new InvalidParameterException("duration '" + text + "' is negative; use e.g. 10s");
        }
        if (t.isEmpty() || !t.matches("(\\d+(ms|h|m|s))+")) {
            throw new InvalidParameterException(
                    "malformed duration '" + text + "'; use a number with a unit, e.g. 500ms, 10s, 2m, 1m30s");
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new InvalidParameterException("duration '" + text + "' is too large; the maximum is " + format(MAX));
            }
            if (n > MAX.toMillis()) {
                throw new InvalidParameterException("duration '" + text + "' is too large; the maximum is " + format(MAX));
            }
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        return check(d, text);
    }

    public static Duration check(Duration d, String asTyped) {
        if (d.isZero() || d.isNegative()) {
            throw new InvalidParameterException("duration '" + asTyped + "' must be positive; use e.g. 10s");
        }
        if (d.compareTo(MIN) < 0) {
            throw new InvalidParameterException("duration '" + asTyped + "' is too short; the minimum is " + format(MIN));
        }
        if (d.compareTo(MAX) > 0) {
            throw new InvalidParameterException("duration '" + asTyped + "' is too large; the maximum is " + format(MAX));
        }
        return d;
    }

    /** The shortest form that parses back to the same value, e.g. 90s → "1m30s". */
    public static String format(Duration d) {
        if (d.toMillisPart() != 0 && d.toSeconds() == 0) {
            return d.toMillis() + "ms";
        }
        StringBuilder sb = new StringBuilder();
        if (d.toHours() > 0) {
            sb.append(d.toHours()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            sb.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || sb.length() == 0) {
            sb.append(d.toSecondsPart()).append('s');
        }
        if (d.toMillisPart() > 0) {
            sb.append(d.toMillisPart()).append("ms");
        }
        return sb.toString();
    }
}
