package dev.kgadget.daemon.libbpf;

import com.sun.jna.Pointer;

import java.util.HashMap;
import java.util.Map;

/**
 * A global variable of a data section (.rodata), located through the object's BTF: the
 * DATASEC type lists each variable's BTF id, offset and size.
 */
record DatasecVariable(String name, int offset, int size) {
    /* struct btf_type { u32 name_off; u32 info; u32 size_or_type; } then vlen btf_var_secinfo */
    private static final int BTF_TYPE_SIZE = 12;
    private static final int SECINFO_SIZE = 12;

    static Map<String, DatasecVariable> of(Pointer btf, String section) {
        Bpf.check(btf, "BTF of object");
        int id = Bpf.check(Bpf.lib().btf__find_by_name_kind(btf, section, LibBpf.BTF_KIND_DATASEC),
                "find " + section + " in BTF");
        Pointer sec = Bpf.check(Bpf.lib().btf__type_by_id(btf, id), "BTF type " + id);
        int vlen = sec.getInt(4) & 0xffff;
        Map<String, DatasecVariable> vars = new HashMap<>();
        for (int i = 0; i < vlen; i++) {
            int off = BTF_TYPE_SIZE + i * SECINFO_SIZE;
            int varType = sec.getInt(off);
            Pointer var = Bpf.check(Bpf.lib().btf__type_by_id(btf, varType), "BTF var " + varType);
            String varName = Bpf.lib().btf__name_by_offset(btf, var.getInt(0));
            vars.put(varName, new DatasecVariable(varName, sec.getInt(off + 4), sec.getInt(off + 8)));
        }
        return vars;
    }

    void write(Pointer data, long sectionSize, Object value) {
        if (offset + size > sectionSize) {
            throw new IllegalStateException(name + " lies outside .rodata");
        }
        long v;
        if (value instanceof Boolean b) {
            v = b ? 1 : 0;
        } else if (value instanceof Integer || value instanceof Long) {
            v = ((Number) value).longValue();
        } else {
            throw new IllegalArgumentException(name + ": unsupported value type " + value.getClass());
        }
        switch (size) {
            case 1 -> data.setByte(offset, (byte) v);
            case 2 -> data.setShort(offset, (short) v);
            case 4 -> data.setInt(offset, (int) v);
            case 8 -> data.setLong(offset, v);
            default -> throw new IllegalArgumentException(name + ": unsupported size " + size);
        }
    }
}
