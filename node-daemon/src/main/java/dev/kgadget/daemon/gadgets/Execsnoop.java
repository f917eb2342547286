package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventFields;
import dev.kgadget.api.result.EventRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every exec; decodes struct kg_exec_event (bpf/include/gadgets.h). */
final class Execsnoop implements Gadget {
    private static final int ARGS_OFFSET = 64;
    /** The most arguments the BPF side keeps (max-args' bound), each up to 128 bytes. */
    private static final int MAX_ARGS = 20;
    private static final int ARGS_BUF = 128 * MAX_ARGS;

    @Override
    public GadgetDescriptor descriptor() {
        return GadgetCatalog.EXECSNOOP;
    }

    @Override
    public Map<String, Object> rodata(GadgetParams p) {
        return Map.of("max_args", (int) p.integer("max-args"), "targ_failed_only", p.bool("failed-only"));
    }

    @Override
    public EventDecoder eventDecoder(GadgetParams params) {
        return new Decoder();
    }

    /** One per run: it keeps the last comm and the last text of each argument, which repeat in an exec storm. */
    static final class Decoder implements EventDecoder {
        private static final int COMM = 0;
        private static final int FIRST_ARG = 1;
        private final RepeatedText text = new RepeatedText(FIRST_ARG + MAX_ARGS);

        @Override
        public EventRecord decode(ByteBuffer d, int o, int length) {
            int argsCount = d.getInt(o + 32);
            int argsSize = Math.min(Math.max(d.getInt(o + 36), 0), Math.min(ARGS_BUF, length - ARGS_OFFSET));
            List<String> args = splitArgs(d, o + ARGS_OFFSET, argsSize, argsCount);
            EventFields.Builder f = EventFields.builder();
            f.put("time", Records.monotonicToInstant(d.getLong(o)));
            f.put("comm", text.cString(COMM, d, o + 48, 16));
            f.put("pid", Records.u32(d, o + 16));
            f.put("ppid", Records.u32(d, o + 20));
            f.put("uid", Records.u32(d, o + 24));
            f.put("cgroupId", d.getLong(o + 8));
            f.put("ret", d.getInt(o + 28));
            f.put("filename", args.isEmpty() ? "" : args.get(0));
            f.put("args", args);
            f.put("argsTruncated", d.getInt(o + 40) != 0);
            return f.record();
        }

        private List<String> splitArgs(ByteBuffer d, int start, int size, int count) {
            List<String> out = new ArrayList<>();
            int begin = 0;
            for (int i = 0; i < size && out.size() < count; i++) {
                if (d.get(start + i) == 0) {
                    out.add(arg(out.size(), d, start + begin, i - begin));
                    begin = i + 1;
                }
            }
            if (begin < size && out.size() < count) {
                out.add(arg(out.size(), d, start + begin, size - begin)); // last argument cut at its bound
            }
            return out;
        }

        private String arg(int index, ByteBuffer d, int at, int len) {
            return index < MAX_ARGS ? text.text(FIRST_ARG + index, d, at, len)
                    : new String(bytes(d, at, len), StandardCharsets.UTF_8);
        }

        private static byte[] bytes(ByteBuffer d, int at, int len) {
            byte[] b = new byte[len];
            d.get(at, b, 0, len);
            return b;
        }
    }
}
