package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.result.Histogram;
import dev.kgadget.daemon.libbpf.BpfObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * Reads the shared histogram maps (kg_hist0: slot → count per CPU, for group 0; kg_hist:
 * {group, slot} → count; kg_names: group → comm).
 */
final class HistogramMaps {
    static final int MAX_SLOTS = 27;

    private HistogramMaps() {
    }

    /**
     * @param labeler names a group from its id and the comm recorded for it (may be null)
     */
    static List<Histogram> read(BpfObject object, String unit, BiFunction<Long, String, String> labeler) {
        Map<Long, long[]> groups = new TreeMap<>();
        object.map("kg_hist0").forEachPerCpuSum((key, count) -> {
            int slot = key.getInt(0);
            if (count > 0 && slot >= 0 && slot < MAX_SLOTS) {
                groups.computeIfAbsent(0L, g -> new long[MAX_SLOTS])[slot] += count;
            }
        });
        object.map("kg_hist").forEach((key, value) -> {
            long group = Integer.toUnsignedLong(key.getInt(0));
            int slot = key.getInt(4);
            if (slot >= 0 && slot < MAX_SLOTS) {
                groups.computeIfAbsent(group, g -> new long[MAX_SLOTS])[slot] += value.getLong(0);
            }
        });
        Map<Long, String> names = new HashMap<>();
        object.map("kg_names").forEach((key, value) ->
                names.put(Integer.toUnsignedLong(key.getInt(0)), value.getString(0)));
        List<Histogram> out = new ArrayList<>();
        groups.forEach((group, buckets) -> out.add(new Histogram(labeler.apply(group, names.get(group)), unit, buckets)));
        return out;
    }

    /** A histogram of the whole target counts in kg_hist0 alone: the grouped maps go unused. */
    static Set<String> unusedMaps(boolean grouped) {
        return grouped ? Set.of() : Set.of("kg_hist", "kg_names");
    }

    static String unit(boolean milliseconds) {
        return milliseconds ? "msecs" : "usecs";
    }
}
