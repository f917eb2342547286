package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.CountRow;
import dev.kgadget.daemon.libbpf.BpfMap;
import dev.kgadget.daemon.libbpf.BpfObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Syscall counts, per syscall (kg_nr_counts: nr → {count, total_ns}) or per process
 * (kg_counts: {tgid, nr} → {count, total_ns}); both per CPU. The result holds every row;
 * renderers show the top N ({@code top} parameter).
 */
final class Syscount implements Gadget {
    @Override
    public GadgetDescriptor descriptor() {
        return GadgetCatalog.SYSCOUNT;
    }

    @Override
    public Map<String, Object> rodata(GadgetParams p) {
        return Map.of("targ_latency", p.bool("latency"), "targ_per_process", p.bool("per-process"));
    }

    /** Without latency, counting at syscall exit is enough: the entry hook would only add cost. */
    @Override
    public Set<String> unusedPrograms(GadgetParams p) {
        return p.bool("latency") ? Set.of() : Set.of("kg_sc_enter");
    }

    @Override
    public Set<String> unusedMaps(GadgetParams p) {
        Set<String> unused = new HashSet<>();
        if (!p.bool("latency")) {
            unused.add("kg_sc_start");
        }
        if (!p.bool("per-process")) {
            unused.addAll(Set.of("kg_counts", "kg_comms"));
        }
        return unused;
    }

    @Override
    public Collected collect(BpfObject object, GadgetParams p) {
        boolean perProcess = p.bool("per-process");
        boolean latency = p.bool("latency");
        Map<Long, long[]> totals = new HashMap<>(); // row key → {count, total_ns}
        int cpus = BpfMap.possibleCpus();
        // per-CPU maps: one {count, total_ns} slot per possible CPU, summed here; the array
        // has a slot for every syscall number, most of them never counted
        object.map(perProcess ? "kg_counts" : "kg_nr_counts").forEach(16 * cpus, (key, value) -> {
            long rowKey = Integer.toUnsignedLong(key.getInt(0)); // the tgid of {tgid, nr}, or the nr
            long count = 0;
            long ns = 0;
            for (int cpu = 0; cpu < cpus; cpu++) {
                count += value.getLong(16L * cpu);
                ns += value.getLong(16L * cpu + 8);
            }
            if (count > 0) {
                long[] t = totals.computeIfAbsent(rowKey, k -> new long[2]);
                t[0] += count;
                t[1] += ns;
            }
        });
        Map<Long, String> comms = new HashMap<>();
        if (perProcess) {
            object.map("kg_comms").forEach((key, value) ->
                    comms.put(Integer.toUnsignedLong(key.getInt(0)), value.getString(0)));
        }
        List<CountRow> rows = new ArrayList<>();
        totals.forEach((k, t) -> rows.add(perProcess
                ? new CountRow(comms.getOrDefault(k, "?"), k.intValue(), t[0], latency ? t[1] : null)
                : new CountRow(Syscalls.name(k.intValue()), null, t[0], latency ? t[1] : null)));
        rows.sort(Comparator.comparingLong(CountRow::count).reversed().thenComparing(CountRow::name));
        // every row, sorted: results merge across nodes before anyone takes the top N
        return Collected.counts(rows);
    }
}
