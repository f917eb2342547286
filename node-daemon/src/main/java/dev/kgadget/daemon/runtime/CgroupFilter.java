package dev.kgadget.daemon.runtime;

import com.sun.jna.Memory;

import dev.kgadget.daemon.libbpf.BpfMap;

import java.util.HashSet;
import java.util.Set;

/**
 * The kernel-side target filter, kept in step with a set of ids while the gadget runs: the
 * whole set in kg_cgroups (cgroup id → 1), and up to {@link #FEW} of them also in
 * kg_cgroup_list, the list every event checks first (kgadget.bpf.h says why and how).
 * New ids are added before stale ones are removed, so a container that is merely renumbered
 * is never untraced in between; the list switches from one whole copy to the other.
 */
final class CgroupFilter {
    static final int FEW = 8;
    private static final int SELECTOR = 2;
    private static final int LIST_BYTES = 8 + 8 * FEW;

    private final BpfMap map;
    private final BpfMap list;
    private final Set<Long> current = new HashSet<>();
    private int active;

    CgroupFilter(BpfMap map, BpfMap list) {
        this.map = map;
        this.list = list;
    }

    synchronized void replace(Set<Long> ids) {
        Memory key = new Memory(8);
        Memory one = new Memory(1);
        one.setByte(0, (byte) 1);
        for (long id : ids) {
            if (!current.contains(id)) {
                key.setLong(0, id);
                map.put(key, one);
            }
        }
        for (long id : Set.copyOf(current)) {
            if (!ids.contains(id)) {
                key.setLong(0, id);
                map.delete(key);
            }
        }
        current.clear();
        current.addAll(ids);
        writeList(ids);
    }

    /** After the hash: a list that says "too many" sends the programs to a complete hash. */
    private void writeList(Set<Long> ids) {
        int next = 1 - active;
        Memory key = new Memory(4);
        Memory value = new Memory(LIST_BYTES);
        value.clear();
        value.setInt(0, ids.size() <= FEW ? ids.size() : -1);
        if (ids.size() <= FEW) {
            int i = 0;
            for (long id : ids) {
                value.setLong(8 + 8L * i++, id);
            }
        }
        key.setInt(0, next);
        list.put(key, value);
        value.clear(); // the selector entry: only its count matters, the copy in use
        value.setInt(0, next);
        key.setInt(0, SELECTOR);
        list.put(key, value);
        active = next;
    }

    synchronized Set<Long> ids() {
        return Set.copyOf(current);
    }
}
