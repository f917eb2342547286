package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventBuffer;

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
        return new Decoder();
    }

    /** One per run: it keeps the last comm, path and flags, which repeat in an open storm. */
    static final class Decoder implements EventDecoder {
        private static final int COMM = 0;
        private static final int PATH = 1;
        private final RepeatedText text = new RepeatedText(2);
        private long lastFlags = -1;
        private String lastFlagNames;

        @Override
        public void decode(ByteBuffer d, int o, int length, EventBuffer f) {
            int ret = d.getInt(o + 28);
            long flags = d.getLong(o + 32);
            if (flags != lastFlags || lastFlagNames == null) {
                lastFlags = flags;
                lastFlagNames = OpenFlags.describe(flags);
            }
            f.putTime("time", Records.monotonicToEpochNanos(d.getLong(o)));
            f.putLong("pid", Records.u32(d, o + 16));
            f.putLong("tid", Records.u32(d, o + 20));
            f.putLong("uid", Records.u32(d, o + 24));
            f.put("comm", text.cString(COMM, d, o + 48, 16));
            f.putInt("fd", ret >= 0 ? ret : -1);
            f.putInt("err", ret >= 0 ? 0 : -ret);
            f.put("flags", lastFlagNames);
            f.putLong("flagsValue", flags);
            f.putLong("mode", Records.u32(d, o + 40));
            f.put("syscall", Syscalls.name(d.getInt(o + 44)));
            f.putLong("cgroupId", d.getLong(o + 8));
            f.put("path", text.cString(PATH, d, o + 64, Math.min(256, length - 64)));
        }
    }
}
