package dev.kgadget.daemon.runtime;

import dev.kgadget.daemon.libbpf.Bpf;
import dev.kgadget.daemon.libbpf.LibBpf;

import com.sun.jna.Pointer;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What must hold before any BPF object is opened, each failure told in one actionable line:
 * privileges, the kernel's BTF (CO-RE needs it), libbpf, and the hooks a gadget attaches to.
 */
public final class Preflight {
    /** Overrides the kernel BTF location (tests point it elsewhere; some distros ship it in /boot). */
    public static final String BTF_PROPERTY = "kgadget.btf";
    /**
     * Hooks ("BTF path:name") already found: the kernel's BTF does not change while the process
     * runs, and parsing it (5.5 MiB, copied once more by libbpf) for every start cost the daemon
     * time and memory that libbpf's own parse while loading already costs once.
     */
    private static final Set<String> HOOKS_FOUND = ConcurrentHashMap.newKeySet();
    static final String DEFAULT_BTF = "/sys/kernel/btf/vmlinux";

    private static final int CAP_SYS_ADMIN = 21;
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;

    private Preflight() {
    }

    public static Path btfPath() {
        String p = System.getProperty(BTF_PROPERTY, System.getenv("KGADGET_BTF"));
        return Path.of(p == null || p.isBlank() ? DEFAULT_BTF : p);
    }

    public static void checkPrivileges() {
        BigInteger caps = effectiveCapabilities();
        boolean bpf = caps.testBit(CAP_BPF) && caps.testBit(CAP_PERFMON);
        if (!bpf && !caps.testBit(CAP_SYS_ADMIN)) {
            throw new GadgetException("loading eBPF programs needs root (CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN);"
                    + " run kgadget with sudo");
        }
    }

    /**
     * Why the kernel's BPF run-time statistics cannot be had here, if they cannot: turning them
     * on (BPF_ENABLE_STATS) needs CAP_SYS_ADMIN, unless the host already has them on.
     */
    public static Optional<String> kernelCostUnavailable() {
        if (effectiveCapabilities().testBit(CAP_SYS_ADMIN)) {
            return Optional.empty();
        }
        try {
            if ("1".equals(Files.readString(Path.of("/proc/sys/kernel/bpf_stats_enabled")).trim())) {
                return Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            // no such sysctl: as good as off
        }
        return Optional.of("the kernel cost needs CAP_SYS_ADMIN (to turn on the kernel's BPF statistics)"
                + " or sysctl kernel.bpf_stats_enabled=1; it shows as -");
    }

    static BigInteger effectiveCapabilities() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new BigInteger(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException e) {
            throw new GadgetException("cannot read /proc/self/status to check privileges: " + e.getMessage(), e);
        }
        return BigInteger.ZERO;
    }

    public static void checkBtf() {
        Path btf = btfPath();
        if (!Files.isReadable(btf)) {
            throw new GadgetException("this kernel exposes no BTF at " + btf
                    + "; kgadget's CO-RE gadgets need a kernel built with CONFIG_DEBUG_INFO_BTF=y (5.4+)");
        }
    }

    public static void checkLibbpf() {
        try {
            Bpf.lib();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new GadgetException("libbpf (libbpf.so.1) is not installed; apt-get install libbpf1 (or libbpf-dev)", e);
        }
    }

    /**
     * Every hook (tp_btf / raw_tp name) must exist in this kernel: its tracepoint shows up in
     * BTF as the typedef btf_trace_NAME.
     */
    public static void checkHooks(String gadget, Collection<String> hooks) {
        Path btfPath = btfPath();
        List<String> unknown = hooks.stream().filter(h -> !HOOKS_FOUND.contains(btfPath + ":" + h)).toList();
        if (unknown.isEmpty()) {
            return; // all seen in this kernel's BTF before: no second parse of it
        }
        Pointer btf = Bpf.lib().btf__parse(btfPath.toString(), null);
        if (btf == null) {
            throw new GadgetException("cannot parse the kernel BTF at " + btfPath + "; is it a BTF file?");
        }
        try {
            List<String> missing = new ArrayList<>();
            for (String h : unknown) {
                if (Bpf.lib().btf__find_by_name_kind(btf, "btf_trace_" + h, LibBpf.BTF_KIND_TYPEDEF) < 0) {
                    missing.add(h);
                } else {
                    HOOKS_FOUND.add(btfPath + ":" + h);
                }
            }
            if (!missing.isEmpty()) {
                throw new GadgetException("gadget " + gadget + " needs the kernel tracepoint(s) "
                        + String.join(", ", new TreeSet<>(missing)) + ", which this kernel ("
                        + System.getProperty("os.version") + ") does not have");
            }
        } finally {
            Bpf.lib().btf__free(btf);
        }
    }
}
