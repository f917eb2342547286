package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventBuffer;

import java.nio.ByteBuffer;
import java.util.Map;

/** Every OOM kill; decodes struct kg_oom_event (bpf/include/gadgets.h). */
final class Oomkill implements Gadget {
    @Override
    public GadgetDescriptor descriptor() {
        return GadgetCatalog.OOMKILL;
    }

    @Override
    public Map<String, Object> rodata(GadgetParams p) {
        return Map.of();
    }

    @Override
    public EventDecoder eventDecoder(GadgetParams params) {
        return Oomkill::decode;
    }

    static void decode(ByteBuffer d, int o, int length, EventBuffer f) {
        f.putTime("time", Records.monotonicToEpochNanos(d.getLong(o)));
        f.putLong("pid", Records.u32(d, o + 32));
        f.put("comm", Records.cString(d, o + 48, 16));
        f.putLong("rssPages", d.getLong(o + 24));
        f.putLong("totalVmPages", d.getLong(o + 16));
        f.putLong("triggerPid", Records.u32(d, o + 36));
        f.put("triggerComm", Records.cString(d, o + 64, 16));
        f.putLong("uid", Records.u32(d, o + 40));
        f.putLong("cgroupId", d.getLong(o + 8));
    }
}
