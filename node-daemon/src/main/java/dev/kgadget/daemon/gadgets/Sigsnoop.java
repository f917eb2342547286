package dev.kgadget.daemon.gadgets;

import dev.kgadget.api.catalog.GadgetCatalog;
import dev.kgadget.api.catalog.GadgetDescriptor;
import dev.kgadget.api.catalog.GadgetParams;
import dev.kgadget.api.result.EventBuffer;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** Every signal generated; decodes struct kg_signal_event (bpf/include/gadgets.h). */
final class Sigsnoop implements Gadget {
    private static final List<String> NAMES = List.of("0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
            "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
            "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
            "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS");
    /** TRACE_SIGNAL_* of include/trace/events/signal.h. */
    private static final List<String> RESULTS = List.of("delivered", "ignored", "already-pending", "overflow", "lose-info");

    @Override
    public GadgetDescriptor descriptor() {
        return GadgetCatalog.SIGSNOOP;
    }

    @Override
    public Map<String, Object> rodata(GadgetParams p) {
        return Map.of("targ_failed", p.bool("failed-only"), "targ_sig", (int) p.integer("signal"));
    }

    @Override
    public EventDecoder eventDecoder(GadgetParams params) {
        return Sigsnoop::decode;
    }

    static String signalName(int sig) {
        return sig >= 0 && sig < NAMES.size() ? NAMES.get(sig) : sig >= 34 && sig <= 64 ? "SIGRTMIN+" + (sig - 34) : "SIG" + sig;
    }

    static void decode(ByteBuffer d, int o, int length, EventBuffer f) {
        int sig = d.getInt(o + 24);
        int result = d.getInt(o + 28);
        f.putTime("time", Records.monotonicToEpochNanos(d.getLong(o)));
        f.putLong("pid", Records.u32(d, o + 16));
        f.put("comm", Records.cString(d, o + 40, 16));
        f.put("signal", signalName(sig));
        f.putInt("sig", sig);
        f.putLong("tpid", Records.u32(d, o + 20));
        f.put("tcomm", Records.cString(d, o + 56, 16));
        f.put("result", result >= 0 && result < RESULTS.size() ? RESULTS.get(result) : Integer.toString(result));
        f.putInt("code", d.getInt(o + 32));
        f.putLong("cgroupId", d.getLong(o + 8));
    }
}
