package dev.kgadget.daemon.runtime;

import com.sun.jna.Memory;

import dev.kgadget.daemon.libbpf.BpfMap;

import java.util.HashSet;
import java.util.Set;

/**
 * The kernel-side target filter (kg_cgroups: cgroup id → 1), kept in step with a set of ids
 * while the gadget runs: new ids are added before stale ones are removed, so a container that
 * is merely renumbered is never untraced in between.
 */
final class CgroupFilter {
    private final BpfMap map;
    private final Set<Long> current = new HashSet<>();

    CgroupFilter(BpfMap map) {
        this.map = map;
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
    }

    synchronized Set<Long> ids() {
        return Set.copyOf(current);
    }
}
