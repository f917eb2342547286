package dev.kgadget.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code -p} arguments of a run, local or in the cluster. */
public final class ParamArgs {
    private ParamArgs() {
    }

    /** {@code -p name=value}, or a bare {@code -p name} (true for booleans); the last one given wins. */
    public static Map<String, String> parse(List<String> params) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            map.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "" : p.substring(eq + 1));
        }
        return map;
    }
}
