package dev.kgadget.api.catalog;

/**
 * One typed gadget parameter. Values arrive as strings (CLI {@code -p k=v}, TraceJob spec)
 * and are checked here so every entry point rejects the same inputs with the same words.
 */
public record ParamSpec(String name, ParamType type, String defaultValue, String description,
                        long min, long max) {

    public static ParamSpec bool(String name, String description) {
        return new ParamSpec(name, ParamType.BOOL, "false", description, 0, 1);
    }

    public static ParamSpec integer(String name, long defaultValue, long min, long max, String description) {
        return new ParamSpec(name, ParamType.INT, Long.toString(defaultValue), description, min, max);
    }

    /** Parses and range-checks a raw value; the message names the parameter and what is allowed. */
    public Object parse(String raw) {
        String v = raw == null ? "" : raw.trim();
        return switch (type) {
            case BOOL -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "1", "on", "" -> Boolean.TRUE; // bare "-p per-disk" means true
                case "false", "no", "0", "off" -> Boolean.FALSE;
                default -> throw new InvalidParameterException(
                        "parameter " + name + ": '" + raw + "' is not a boolean (use true or false)");
            };
            case INT -> {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new InvalidParameterException(
                            "parameter " + name + ": '" + raw + "' is not an integer");
                }
                if (n < min || n > max) {
                    throw new InvalidParameterException(
                            "parameter " + name + ": " + n + " is out of range [" + min + ", " + max + "]");
                }
                yield n;
            }
        };
    }

    /** A human type hint for help output, e.g. {@code int 1..20}. */
    public String typeHint() {
        return type == ParamType.BOOL ? "bool" : "int " + min + ".." + max;
    }
}
