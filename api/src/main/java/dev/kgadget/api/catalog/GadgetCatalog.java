package dev.kgadget.api.catalog;

import dev.kgadget.api.result.Column;

import java.util.List;
import java.util.Optional;

/**
 * The gadgets kgadget ships. One per symptom of the 60-second triage routine: slow disks,
 * CPU saturation, short-lived processes, missing/failing files, and syscall-heavy work.
 */
public final class GadgetCatalog {
    public static final GadgetDescriptor BIOLATENCY = new GadgetDescriptor(
            "biolatency",
            "Block I/O latency as a log2 histogram, attributed to the cgroup that created each request",
            "Are the disks slow for these workloads (and is it the device or the queue)?",
            OutputKind.HISTOGRAM,
            List.of(ParamSpec.bool("milliseconds", "report msecs instead of usecs"),
                    ParamSpec.bool("per-disk", "one histogram per disk"),
                    ParamSpec.bool("queued", "include OS queue time (from request creation, not issue)")),
            List.of());

    public static final GadgetDescriptor RUNQLAT = new GadgetDescriptor(
            "runqlat",
            "Run-queue (scheduler) latency as a log2 histogram, attributed to the task being woken",
            "Are runnable threads waiting for a CPU (saturation)?",
            OutputKind.HISTOGRAM,
            List.of(ParamSpec.bool("milliseconds", "report msecs instead of usecs"),
                    ParamSpec.bool("per-process", "one histogram per process (tgid)")),
            List.of());

    public static final GadgetDescriptor EXECSNOOP = new GadgetDescriptor(
            "execsnoop",
            "Every exec() with pid, ppid, uid, cgroup, filename, arguments and return value",
            "Are short-lived processes burning CPU or failing to start?",
            OutputKind.EVENTS,
            List.of(ParamSpec.integer("max-args", 20, 1, 20, "arguments kept per exec, filename included"),
                    ParamSpec.bool("failed-only", "show only execs that failed")),
            List.of(Column.left("time", "TIME", 12), Column.left("comm", "PCOMM", 16),
                    Column.right("pid", "PID", 7), Column.right("ppid", "PPID", 7),
                    Column.right("uid", "UID", 5), Column.right("cgroupId", "CGROUP", 8),
                    Column.right("ret", "RET", 4), Column.left("args", "ARGS", 0)));

    public static final GadgetDescriptor OPENSNOOP = new GadgetDescriptor(
            "opensnoop",
            "Every open/openat/openat2 with pid, comm, path, flags and the fd or errno",
            "Which files are opened, and which opens fail?",
            OutputKind.EVENTS,
            List.of(ParamSpec.bool("failed-only", "show only failed opens")),
            List.of(Column.left("time", "TIME", 12), Column.right("pid", "PID", 7),
                    Column.left("comm", "COMM", 16), Column.right("fd", "FD", 4),
                    Column.right("err", "ERR", 3), Column.left("flags", "FLAGS", 10),
                    Column.left("path", "PATH", 0)));

    public static final GadgetDescriptor SYSCOUNT = new GadgetDescriptor(
            "syscount",
            "System call counts (and optionally total/average latency) per syscall or per process",
            "Which system calls dominate, and how long do they take?",
            OutputKind.COUNTS,
            List.of(ParamSpec.bool("latency", "also measure time spent in each syscall"),
                    ParamSpec.bool("per-process", "count per process instead of per syscall"),
                    ParamSpec.integer("top", 10, 1, 1000, "rows to show")),
            List.of());

    public static final GadgetDescriptor SIGSNOOP = new GadgetDescriptor(
            "sigsnoop",
            "Every signal generated, with sender, target, signal and result (sent by or to the traced pods)",
            "Who is killing (or signalling) these processes, and are signals lost?",
            OutputKind.EVENTS,
            List.of(ParamSpec.integer("signal", 0, 0, 64, "only this signal number (0: all)"),
                    ParamSpec.bool("failed-only", "only signals that were not delivered (ignored, pending, overflow)")),
            List.of(Column.left("time", "TIME", 12), Column.right("pid", "PID", 7), Column.left("comm", "COMM", 16),
                    Column.left("signal", "SIG", 9), Column.right("tpid", "TPID", 7), Column.left("tcomm", "TCOMM", 16),
                    Column.left("result", "RESULT", 0)));

    private static final List<Column> TCP_ADDRS = List.of(Column.right("ip", "IP", 2),
            Column.left("laddr", "LADDR", 15), Column.right("lport", "LPORT", 5),
            Column.left("raddr", "RADDR", 15), Column.right("rport", "RPORT", 5));

    public static final GadgetDescriptor TCPCONNECT = new GadgetDescriptor(
            "tcpconnect",
            "Every active TCP connection (connect()), IPv4 and IPv6, with the connecting process",
            "Where do these pods connect to, and how often (connection storms, leaks)?",
            OutputKind.EVENTS,
            List.of(ParamSpec.integer("port", 0, 0, 65535, "only connections with this local or remote port (0: all)")),
            concat(List.of(Column.left("time", "TIME", 12), Column.right("pid", "PID", 7), Column.left("comm", "COMM", 16)),
                    TCP_ADDRS));

    public static final GadgetDescriptor TCPACCEPT = new GadgetDescriptor(
            "tcpaccept",
            "Every passive TCP connection (a handshake completed on a listening socket), IPv4 and IPv6, with the listening process",
            "Who connects to these pods?",
            OutputKind.EVENTS,
            List.of(ParamSpec.integer("port", 0, 0, 65535, "only connections with this local or remote port (0: all)")),
            concat(List.of(Column.left("time", "TIME", 12), Column.right("pid", "PID", 7), Column.left("comm", "COMM", 16)),
                    TCP_ADDRS));

    public static final GadgetDescriptor TCPLIFE = new GadgetDescriptor(
            "tcplife",
            "Every TCP connection when it closes: duration and bytes sent/received, with the owning process",
            "Which connections are short-lived or heavy; do opens and closes balance (leaks)?",
            OutputKind.EVENTS,
            List.of(ParamSpec.integer("port", 0, 0, 65535, "only connections with this local or remote port (0: all)")),
            concat(List.of(Column.right("pid", "PID", 7), Column.left("comm", "COMM", 16)),
                    concat(TCP_ADDRS, List.of(Column.right("txBytes", "TX_BYTES", 9), Column.right("rxBytes", "RX_BYTES", 9),
                            Column.right("ms", "MS", 8)))));

    public static final GadgetDescriptor TCPRETRANS = new GadgetDescriptor(
            "tcpretrans",
            "Every TCP retransmission of the traced pods' sockets, with the socket's state and addresses",
            "Is the network dropping these pods' packets (retransmits, SYN retries)?",
            OutputKind.EVENTS,
            List.of(),
            concat(List.of(Column.left("time", "TIME", 12)), concat(TCP_ADDRS, List.of(Column.left("state", "STATE", 0)))));

    public static final GadgetDescriptor OOMKILL = new GadgetDescriptor(
            "oomkill",
            "Every OOM kill of a traced process: victim, its resident pages, and the task that triggered it",
            "Which container was OOM-killed, and how big was it?",
            OutputKind.EVENTS,
            List.of(),
            List.of(Column.left("time", "TIME", 12), Column.right("pid", "PID", 7), Column.left("comm", "COMM", 16),
                    Column.right("rssPages", "RSS_PAGES", 9), Column.right("triggerPid", "TRIGGER", 7),
                    Column.left("triggerComm", "TCOMM", 0)));

    private static final List<ParamSpec> STACK_PARAMS = List.of(
            ParamSpec.bool("kernel-only", "kernel stacks only"),
            ParamSpec.bool("user-only", "user stacks only"));

    public static final GadgetDescriptor PROFILE = new GadgetDescriptor(
            "profile",
            "CPU samples on every CPU with kernel and user stacks, symbolized: folded stacks and a flame graph (counts are samples)",
            "Where does the CPU time of these pods go?",
            OutputKind.STACKS,
            concat(List.of(ParamSpec.integer("frequency", 99, 1, 1000, "samples per second on each CPU")), STACK_PARAMS),
            List.of());

    public static final GadgetDescriptor OFFCPUTIME = new GadgetDescriptor(
            "offcputime",
            "Time blocked off-CPU per kernel and user stack: folded stacks and a flame graph (counts are microseconds)",
            "Where do these pods wait (sleep, I/O, locks) instead of running?",
            OutputKind.STACKS,
            concat(List.of(ParamSpec.integer("min-us", 1, 0, 60_000_000, "ignore blocks shorter than this (microseconds)"),
                    ParamSpec.bool("include-preempted", "also count time runnable but preempted")), STACK_PARAMS),
            List.of());

    private static final List<GadgetDescriptor> ALL = List.of(BIOLATENCY, RUNQLAT, EXECSNOOP, OPENSNOOP, SYSCOUNT, SIGSNOOP,
            TCPCONNECT, TCPACCEPT, TCPLIFE, TCPRETRANS, OOMKILL, PROFILE, OFFCPUTIME);

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    private GadgetCatalog() {
    }

    public static List<GadgetDescriptor> all() {
        return ALL;
    }

    public static Optional<GadgetDescriptor> find(String name) {
        return ALL.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** @throws InvalidParameterException naming the closest known gadgets */
    public static GadgetDescriptor require(String name) {
        return find(name).orElseThrow(() -> new InvalidParameterException(
                "unknown gadget '" + name + "'"
                        + NameSuggestions.didYouMean(name, ALL.stream().map(GadgetDescriptor::name).toList())
                        + " (run 'kgadget list' to see all)"));
    }
}
