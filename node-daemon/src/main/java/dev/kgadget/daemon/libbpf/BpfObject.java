package dev.kgadget.daemon.libbpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A BPF ELF object opened from memory: set read-only parameters, choose programs, load,
 * then reach its maps and programs. Closing it releases every program and map fd it holds.
 */
public final class BpfObject implements AutoCloseable {
    private final String name;
    /* libbpf parses the ELF in place until load: the buffer must outlive the object. */
    private Memory elf;
    private Pointer obj;
    private boolean loaded;

    private BpfObject(String name, Memory elf, Pointer obj) {
        this.name = name;
        this.elf = elf;
        this.obj = obj;
    }

    public static BpfObject open(String name, byte[] elfBytes) {
        Memory elf = new Memory(elfBytes.length);
        elf.write(0, elfBytes, 0, elfBytes.length);
        Pointer obj = Bpf.check(Bpf.lib().bpf_object__open_mem(elf, elfBytes.length, null), "open BPF object " + name);
        return new BpfObject(name, elf, obj);
    }

    public String name() {
        return name;
    }

    public List<BpfProgram> programs() {
        List<BpfProgram> out = new ArrayList<>();
        for (Pointer p = Bpf.lib().bpf_object__next_program(live(), null); p != null;
             p = Bpf.lib().bpf_object__next_program(obj, p)) {
            out.add(new BpfProgram(p));
        }
        return out;
    }

    public BpfProgram program(String programName) {
        return programs().stream().filter(p -> p.name().equals(programName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " has no program " + programName));
    }

    public BpfMap map(String mapName) {
        for (Pointer m = Bpf.lib().bpf_object__next_map(live(), null); m != null;
             m = Bpf.lib().bpf_object__next_map(obj, m)) {
            if (mapName.equals(Bpf.lib().bpf_map__name(m))) {
                return new BpfMap(m);
            }
        }
        throw new IllegalArgumentException(name + " has no map " + mapName);
    }

    public boolean hasMap(String mapName) {
        for (Pointer m = Bpf.lib().bpf_object__next_map(live(), null); m != null;
             m = Bpf.lib().bpf_object__next_map(obj, m)) {
            if (mapName.equals(Bpf.lib().bpf_map__name(m))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets {@code const volatile} globals before load, by name. Values are Boolean, Integer
     * or Long and must match the variable's size.
     */
    public void setRodata(Map<String, Object> values) {
        if (loaded) {
            throw new IllegalStateException(".rodata is frozen after load");
        }
        if (values.isEmpty()) {
            return;
        }
        BpfMap rodata = internalMap(".rodata");
        com.sun.jna.ptr.LongByReference size = new com.sun.jna.ptr.LongByReference();
        Pointer data = Bpf.check(Bpf.lib().bpf_map__initial_value(rodata.handle(), size), "initial value of .rodata");
        Map<String, DatasecVariable> vars = DatasecVariable.of(Bpf.lib().bpf_object__btf(obj), ".rodata");
        for (Map.Entry<String, Object> e : values.entrySet()) {
            DatasecVariable v = vars.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException(name + " has no rodata variable " + e.getKey() + " (has " + vars.keySet() + ")");
            }
            v.write(data, size.getValue(), e.getValue());
        }
    }

    private BpfMap internalMap(String suffix) {
        for (Pointer m = Bpf.lib().bpf_object__next_map(live(), null); m != null;
             m = Bpf.lib().bpf_object__next_map(obj, m)) {
            if (Bpf.lib().bpf_map__name(m).endsWith(suffix)) {
                return new BpfMap(m);
            }
        }
        throw new IllegalArgumentException(name + " has no " + suffix + " section");
    }

    public void load() {
        Bpf.check(Bpf.lib().bpf_object__load(live()), "load " + name);
        loaded = true;
    }

    private Pointer live() {
        if (obj == null) {
            throw new IllegalStateException(name + " is closed");
        }
        return obj;
    }

    @Override
    public synchronized void close() {
        if (obj != null) {
            Bpf.lib().bpf_object__close(obj);
            obj = null;
        }
        if (elf != null) {
            elf.close();
            elf = null;
        }
    }
}
