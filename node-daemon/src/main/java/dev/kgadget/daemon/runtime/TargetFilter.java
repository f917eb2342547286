package dev.kgadget.daemon.runtime;

import java.util.Set;

/**
 * Which tasks a gadget traces, enforced inside the kernel.
 *
 * @param byCgroup  when true only tasks in {@code cgroupIds} are traced; an empty set then
 *                  traces nothing (never "everything")
 * @param cgroupIds cgroup v2 ids (inode numbers of the cgroup directories)
 * @param tgid      only this process when non-zero
 */
public record TargetFilter(boolean byCgroup, Set<Long> cgroupIds, int tgid) {
    public TargetFilter {
        cgroupIds = Set.copyOf(cgroupIds);
        if (tgid < 0) {
            throw new IllegalArgumentException("tgid must be >= 0");
        }
    }

    public static TargetFilter everything() {
        return new TargetFilter(false, Set.of(), 0);
    }

    public static TargetFilter cgroups(Set<Long> ids) {
        return new TargetFilter(true, ids, 0);
    }

    public TargetFilter withTgid(int pid) {
        return new TargetFilter(byCgroup, cgroupIds, pid);
    }
}
