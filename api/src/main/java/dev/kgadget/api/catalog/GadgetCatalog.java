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

    private static final List<GadgetDescriptor> ALL = List.of(BIOLATENCY, RUNQLAT, EXECSNOOP, OPENSNOOP, SYSCOUNT);

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
