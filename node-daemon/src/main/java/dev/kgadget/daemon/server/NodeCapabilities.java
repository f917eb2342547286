package dev.kgadget.daemon.server;

import dev.kgadget.api.grpc.HookStatus;
import dev.kgadget.daemon.gadgets.Gadget;
import dev.kgadget.daemon.gadgets.Gadgets;
import dev.kgadget.daemon.libbpf.Bpf;
import dev.kgadget.daemon.libbpf.BpfObject;
import dev.kgadget.daemon.libbpf.BpfProgram;
import dev.kgadget.daemon.libbpf.LibBpf;
import dev.kgadget.daemon.runtime.Preflight;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * What this node's kernel and libraries offer the gadgets, for GetNodeStatus: whether every
 * hook of each gadget's BPF object exists in the kernel (the same rule as the runtime's
 * preflight: a tp_btf / raw_tp hook NAME exists when the kernel BTF has the typedef
 * {@code btf_trace_NAME}), and libbpf's version. The hooks are read from the objects shipped
 * on the classpath (opened, never loaded) and checked once per process: the kernel does not
 * change under a running daemon.
 */
final class NodeCapabilities {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCapabilities.class);

    private static volatile List<HookStatus> cachedHooks;

    private NodeCapabilities() {
    }

    /** libbpf's own version string (e.g. {@code v1.1}); "1.x" when libbpf does not say, "" when absent. */
    static String libbpfVersion() {
        try {
            Bpf.lib();
            for (String name : List.of("libbpf.so.1", "bpf")) {
                try {
                    Function f = NativeLibrary.getInstance(name).getFunction("libbpf_version_string");
                    String v = f.invokeString(new Object[0], false);
                    return v == null ? "1.x" : v;
                } catch (UnsatisfiedLinkError e) {
                    // try the next name
                }
            }
            return "1.x";
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return "";
        }
    }

    /** One entry per catalog gadget. */
    static List<HookStatus> hooks() {
        List<HookStatus> hooks = cachedHooks;
        if (hooks != null) {
            return hooks;
        }
        synchronized (NodeCapabilities.class) {
            if (cachedHooks == null) {
                List<HookStatus> computed = new ArrayList<>();
                boolean complete = check(computed);
                if (!complete) {
                    return computed; // retried on the next call (BTF or libbpf may be fixed)
                }
                cachedHooks = List.copyOf(computed);
            }
            return cachedHooks;
        }
    }

    /** @return false when the answer is provisional (no BTF, no libbpf, an object that did not open) */
    private static boolean check(List<HookStatus> out) {
        if (!Files.isReadable(Preflight.btfPath())) {
            for (Gadget g : Gadgets.all()) {
                out.add(HookStatus.newBuilder().setGadget(g.descriptor().name()).setAvailable(false).build());
            }
            return false;
        }
        Pointer btf;
        try {
            btf = Bpf.lib().btf__parse(Preflight.btfPath().toString(), null);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            btf = null;
        }
        if (btf == null) {
            for (Gadget g : Gadgets.all()) {
                out.add(HookStatus.newBuilder().setGadget(g.descriptor().name()).setAvailable(false).build());
            }
            return false;
        }
        boolean complete = true;
        try {
            for (Gadget g : Gadgets.all()) {
                HookStatus.Builder status = HookStatus.newBuilder().setGadget(g.descriptor().name());
                try {
                    List<String> missing = new ArrayList<>();
                    for (String section : sections(g)) {
                        String hook = BpfProgram.tracepointOf(section);
                        if (hook != null && Bpf.lib().btf__find_by_name_kind(btf, "btf_trace_" + hook, LibBpf.BTF_KIND_TYPEDEF) < 0
                                && !missing.contains(section)) {
                            missing.add(section);
                        }
                    }
                    status.setAvailable(missing.isEmpty()).addAllMissingHooks(missing);
                } catch (RuntimeException e) {
                    LOG.warn("cannot read the hooks of gadget {}: {}", g.descriptor().name(), e.getMessage());
                    status.setAvailable(false);
                    complete = false;
                }
                out.add(status.build());
            }
        } finally {
            Bpf.lib().btf__free(btf);
        }
        return complete;
    }

    /** The program sections of a gadget's object, e.g. {@code tp_btf/block_io_start}. */
    private static List<String> sections(Gadget g) {
        byte[] bytes;
        try (InputStream in = NodeCapabilities.class.getClassLoader().getResourceAsStream(g.objectResource())) {
            if (in == null) {
                throw new IllegalStateException("the BPF object " + g.objectResource() + " is missing from the classpath");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + g.objectResource() + ": " + e.getMessage(), e);
        }
        try (BpfObject object = BpfObject.open(g.descriptor().name(), bytes)) {
            return object.programs().stream().map(BpfProgram::section).toList();
        }
    }
}
