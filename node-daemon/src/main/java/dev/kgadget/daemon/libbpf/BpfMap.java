package dev.kgadget.daemon.libbpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.util.function.BiConsumer;

/** A map of a loaded {@link BpfObject}; valid until the object is closed. */
public final class BpfMap {
    private static final long BPF_ANY = 0;
    private static final int ENOENT = 2;

    private final Pointer map;
    private final String name;

    BpfMap(Pointer map) {
        this.map = map;
        this.name = Bpf.lib().bpf_map__name(map);
    }

    Pointer handle() {
        return map;
    }

    public String name() {
        return name;
    }

    public int fd() {
        return Bpf.check(Bpf.lib().bpf_map__fd(map), "fd of map " + name);
    }

    public int keySize() {
        return Bpf.lib().bpf_map__key_size(map);
    }

    public int valueSize() {
        return Bpf.lib().bpf_map__value_size(map);
    }

    public int maxEntries() {
        return Bpf.lib().bpf_map__max_entries(map);
    }

    /** Only before load. */
    public void setMaxEntries(int entries) {
        Bpf.check(Bpf.lib().bpf_map__set_max_entries(map, entries), "resize map " + name);
    }

    /** Only before load: this map becomes the one behind {@code fd} (which stays the caller's). */
    public void reuse(int fd) {
        Bpf.check(Bpf.lib().bpf_map__reuse_fd(map, fd), "reuse map fd " + fd + " for " + name);
    }

    public void put(Memory key, Memory value) {
        Bpf.check(Bpf.lib().bpf_map_update_elem(fd(), key, value, BPF_ANY), "update map " + name);
    }

    /** @return false when the key is absent */
    public boolean delete(Memory key) {
        int rc = Bpf.lib().bpf_map_delete_elem(fd(), key);
        if (rc == -ENOENT) {
            return false;
        }
        Bpf.check(rc, "delete from map " + name);
        return true;
    }

    /** @return false when the key is absent */
    public boolean get(Memory key, Memory value) {
        int rc = Bpf.lib().bpf_map_lookup_elem(fd(), key, value);
        if (rc == -ENOENT) {
            return false;
        }
        Bpf.check(rc, "lookup in map " + name);
        return true;
    }

    /**
     * Visits every entry. Values of per-CPU maps hold one 8-byte-aligned slot per possible CPU.
     * Entries removed concurrently are skipped.
     */
    public void forEach(int valueBytes, BiConsumer<Pointer, Pointer> visitor) {
        int fd = fd();
        Memory key = new Memory(Math.max(keySize(), 1));
        Memory next = new Memory(Math.max(keySize(), 1));
        Memory value = new Memory(valueBytes);
        Pointer prev = null;
        while (Bpf.lib().bpf_map_get_next_key(fd, prev, next) == 0) {
            if (Bpf.lib().bpf_map_lookup_elem(fd, next, value) == 0) {
                visitor.accept(next, value);
            }
            key.write(0, next.getByteArray(0, keySize()), 0, keySize());
            prev = key;
        }
    }

    public void forEach(BiConsumer<Pointer, Pointer> visitor) {
        forEach(valueSize(), visitor);
    }

    /** The slots of a per-CPU map's value: one per possible CPU. */
    public static int possibleCpus() {
        return Math.max(Bpf.lib().libbpf_num_possible_cpus(), 1);
    }

    /** Visits every entry of a per-CPU map of u64 counters with its sum over the CPUs. */
    public void forEachPerCpuSum(BiConsumer<Pointer, Long> visitor) {
        int cpus = possibleCpus();
        forEach(8 * cpus, (key, value) -> {
            long sum = 0;
            for (int cpu = 0; cpu < cpus; cpu++) {
                sum += value.getLong(8L * cpu);
            }
            visitor.accept(key, sum);
        });
    }

    /** The sum over every entry and every CPU of a per-CPU map of u64 counters. */
    public long sumPerCpuCounters() {
        long[] sum = {0};
        forEachPerCpuSum((key, count) -> sum[0] += count);
        return sum[0];
    }

    /** Removes every entry (best effort while programs may add new ones). */
    public void clear() {
        int fd = fd();
        Memory next = new Memory(Math.max(keySize(), 1));
        while (Bpf.lib().bpf_map_get_next_key(fd, null, next) == 0) {
            if (Bpf.lib().bpf_map_delete_elem(fd, next) != 0) {
                break;
            }
        }
    }
}
