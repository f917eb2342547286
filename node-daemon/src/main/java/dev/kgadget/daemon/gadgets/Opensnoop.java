package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventFields;
import dev.kgadget.api.result.EventRecord;

import java.nio.ByteBuffer;
import java.util.Map;

/** Every open/openat/openat2; decodes struct kg_open_event (bpf/include/gadgets.h). */
final class Opensnoop implements Gadget {
    @Override
    public GadgetDescriptor descriptor() {
        return GadgetCatalog.OPENSNOOP;
    }

    @Override
    public Map<String, Object> rodata(GadgetParams p) {
        return Map.of("targ_failed", p.bool("failed-only"));
    }

    @Override
    public EventDecoder eventDecoder(GadgetParams params) {
        return Opensnoop::decode;
    }

    static EventRecord decode(ByteBuffer d, int o, int length) {
        int ret = d.getInt(o + 28);
        long flags = d.getLong(o + 32);
        EventFields.Builder f = EventFields.builder();
        f.put("time", Records.monotonicToInstant(d.getLong(o)));
        f.put("pid", Records.u32(d, o + 16));
        f.put("tid", Records.u32(d, o + 20));
        f.put("uid", Records.u32(d, o + 24));
        f.put("comm", Records.cString(d, o + 48, 16));
        f.put("fd", ret >= 0 ? ret : -1);
        f.put("err", ret >= 0 ? 0 : -ret);
        f.put("flags", OpenFlags.describe(flags));
        f.put("flagsValue", flags);
        f.put("mode", Records.u32(d, o + 40));
        f.put("syscall", Syscalls.name(d.getInt(o + 44)));
        f.put("cgroupId", d.getLong(o + 8));
        f.put("path", Records.cString(d, o + 64, Math.min(256, length - 64)));
        return f.record();
    }
}
