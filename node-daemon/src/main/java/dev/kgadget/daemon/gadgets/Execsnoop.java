package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;
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

    /**
     * One per run: it keeps the last comm, the last text of each argument and the last list of
     * them, which repeat in an exec storm.
     */
    static final class Decoder implements EventDecoder {
        private static final int COMM = 0;
        private static final int FIRST_ARG = 1;
        private final RepeatedText text = new RepeatedText(FIRST_ARG + MAX_ARGS);
        private final String[] args = new String[MAX_ARGS];
        private List<String> lastArgs = List.of();

        @Override
        public void decode(ByteBuffer d, int o, int length, EventBuffer f) {
            int argsCount = d.getInt(o + 32);
            int argsSize = Math.min(Math.max(d.getInt(o + 36), 0), Math.min(ARGS_BUF, length - ARGS_OFFSET));
            List<String> args = splitArgs(d, o + ARGS_OFFSET, argsSize, argsCount);
            f.putTime("time", Records.monotonicToEpochNanos(d.getLong(o)));
            f.put("comm", text.cString(COMM, d, o + 48, 16));
            f.putLong("pid", Records.u32(d, o + 16));
            f.putLong("ppid", Records.u32(d, o + 20));
            f.putLong("uid", Records.u32(d, o + 24));
            f.putLong("cgroupId", d.getLong(o + 8));
            f.putInt("ret", d.getInt(o + 28));
            f.put("filename", args.isEmpty() ? "" : args.get(0));
            f.put("args", args);
            f.put("argsTruncated", d.getInt(o + 40) != 0);
        }

        /**
         * At most MAX_ARGS, as the BPF side keeps: each has its own field in {@link #text}. The
         * last list again when every argument is the same text (RepeatedText hands back the same
         * strings), so a repeated command line costs no list.
         */
        private List<String> splitArgs(ByteBuffer d, int start, int size, int count) {
            int most = Math.min(count, MAX_ARGS);
            int n = 0;
            int begin = 0;
            for (int i = 0; i < size && n < most; i++) {
                if (d.get(start + i) == 0) {
                    args[n] = text.text(FIRST_ARG + n, d, start + begin, i - begin);
                    n++;
                    begin = i + 1;
                }
            }
            if (begin < size && n < most) { // the last argument, cut at its bound
                args[n] = text.text(FIRST_ARG + n, d, start + begin, size - begin);
                n++;
            }
            if (!sameAsLast(n)) {
                lastArgs = List.copyOf(Arrays.asList(args).subList(0, n));
            }
            return lastArgs;
        }

        private boolean sameAsLast(int n) {
            if (lastArgs.size() != n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (lastArgs.get(i) != args[i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
