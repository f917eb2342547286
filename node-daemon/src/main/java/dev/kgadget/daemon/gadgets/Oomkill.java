package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventFields;
import dev.kgadget.api.result.EventRecord;

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

    static EventRecord decode(ByteBuffer d, int o, int length) {
        EventFields.Builder f = EventFields.builder();
        f.put("time", Records.monotonicToInstant(d.getLong(o)));
        f.put("pid", Records.u32(d, o + 32));
        f.put("comm", Records.cString(d, o + 48, 16));
        f.put("rssPages", d.getLong(o + 24));
        f.put("totalVmPages", d.getLong(o + 16));
        f.put("triggerPid", Records.u32(d, o + 36));
        f.put("triggerComm", Records.cString(d, o + 64, 16));
        f.put("uid", Records.u32(d, o + 40));
        f.put("cgroupId", d.getLong(o + 8));
        return f.record();
    }
}
