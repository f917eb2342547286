package dev.kgadget.daemon.stacks;

import dev.kgadget.api.result.CountRow;
import dev.kgadget.daemon.libbpf.BpfMap;
import dev.kgadget.daemon.libbpf.BpfObject;

import com.sun.jna.Memory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a stack gadget's maps (kg_stack_counts, kg_stacks) and folds each counted stack into
 * {@code comm;user outermost;...;user innermost;kernel outermost_[k];...;kernel innermost_[k]},
 * symbolized; equal folded stacks add up. Rows are count rows named by their folded stack.
 */
public final class StackCollector {
    static final int DEPTH = 127;
    static final String KERNEL_SUFFIX = "_[k]";

    private StackCollector() {
    }

    /** @param divisor the counts are divided by it (offcputime: ns to us) */
    public static List<CountRow> collect(BpfObject object, long divisor) {
        BpfMap counts = object.map("kg_stack_counts");
        BpfMap stacks = object.map("kg_stacks");
        KernelSymbols kernel = KernelSymbols.load();
        Map<String, ElfSymbols> files = new HashMap<>();
        Map<Integer, ProcessSymbols> processes = new HashMap<>();
        Map<Integer, long[]> byId = new HashMap<>();
        Map<String, Long> folded = new HashMap<>();
        counts.forEach(8, (k, v) -> {
            int tgid = k.getInt(0);
            int kid = k.getInt(4);
            int uid = k.getInt(8);
            String comm = cString(k.getByteArray(16, 16));
            long value = v.getLong(0);
            StringBuilder sb = new StringBuilder(comm.isEmpty() ? "[unknown]" : comm);
            long[] user = ips(stacks, uid, byId);
            if (user.length > 0) {
                ProcessSymbols p = processes.computeIfAbsent(tgid, t -> ProcessSymbols.of(t, files));
                for (int i = user.length - 1; i >= 0; i--) {
                    sb.append(';').append(clean(p.name(user[i])));
                }
            }
            long[] kern = ips(stacks, kid, byId);
            for (int i = kern.length - 1; i >= 0; i--) {
                String name = kernel.name(kern[i]);
                sb.append(';').append(name == null ? "[unknown]" : clean(name)).append(KERNEL_SUFFIX);
            }
            folded.merge(sb.toString(), value, Long::sum);
        });
        List<CountRow> rows = new ArrayList<>();
        folded.forEach((stack, value) -> rows.add(new CountRow(stack, null, Math.max(value / Math.max(1, divisor), 0), null)));
        rows.sort(Comparator.comparingLong(CountRow::count).reversed().thenComparing(CountRow::name));
        return rows;
    }

    /** Frames may not contain the folded format's separators. */
    private static String clean(String name) {
        return name.replace(';', ':').replace(' ', '_');
    }

    private static long[] ips(BpfMap stacks, int id, Map<Integer, long[]> cache) {
        if (id < 0) {
            return new long[0];
        }
        return cache.computeIfAbsent(id, i -> {
            Memory key = new Memory(4);
            key.setInt(0, i);
            Memory value = new Memory(DEPTH * 8L);
            value.clear();
            if (!stacks.get(key, value)) {
                return new long[0];
            }
            int n = 0;
            while (n < DEPTH && value.getLong(n * 8L) != 0) {
                n++;
            }
            long[] out = new long[n];
            for (int j = 0; j < n; j++) {
                out[j] = value.getLong(j * 8L);
            }
            return out;
        });
    }

    private static String cString(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
