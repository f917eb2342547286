package dev.kgadget.bench;

import dev.kgadget.daemon.libbpf.LoadedPrograms;
import dev.kgadget.daemon.libbpf.ProgramStats;
import dev.kgadget.daemon.testing.PodCgroup;
import dev.kgadget.daemon.testing.ProcStats;
import dev.kgadget.daemon.testing.ShippedClasspath;
import dev.kgadget.daemon.testing.Workloads;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * kgadget against the Debian peers on the same workloads, interleaved: per repetition each
 * workload runs without a tracer, under each tracer (in a shuffled order), and without a tracer
 * again; overhead is the slowdown against the mean of that repetition's untraced runs, and ours
 * are compared with the best peer repetition by repetition ({@link PairedComparison}). Numbers only; run with
 * {@code ./bench/compare [repetitions]} (root).
 */
public final class PeerBenchmark {
    /** A fixed-size workload (kgwork) and the gadget it stresses. */
    record Pair(String workload, String gadget, long ops, List<String> command) {
    }

    record Sample(double opsPerSec, Tracers.Stopped stopped, long attachMs, long ownAttachMs) {
    }

    /** kgwork's last line: "kgwork MODE: N ops in S s, R ops/s". */
    private static final Pattern OPS_PER_SECOND = Pattern.compile("kgwork \\S+: (\\d+) ops in \\S+ s, (\\d+) ops/s");

    /** The tracers' order in each repetition: shuffled, from a fixed seed so that a run can be repeated. */
    private static final Random ORDER = new Random(8);

    private PeerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 7; // the paired test needs 6 for p < 0.05 at all
        // further arguments pick gadgets (to re-measure one change); none runs them all
        List<String> only = List.of(args).subList(Math.min(1, args.length), args.length);
        Path file = Files.createTempFile("kgadget-bench-open", ".txt");
        Path data = Files.createTempFile(Workloads.diskDir(), "kgadget-bench-io", ".dat");
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.write(new byte[256 * 4096]);
            f.getFD().sync();
        }
        String w = Workloads.kgwork();
        List<Pair> pairs = List.of(
                new Pair("open/close storm", "opensnoop", 200_000, List.of(w, "open", "200000", file.toString())),
                new Pair("open/close storm", "syscount", 200_000, List.of(w, "open", "200000", file.toString())),
                new Pair("fork+exec storm", "execsnoop", 2_000, List.of(w, "exec", "2000", "/bin/true")),
                // both ends on one CPU: every op is two wakeups and two switches there. Left to
                // the scheduler, the pair's placement swung a run between 2.7 and 5 s, noise
                // larger than any tracer's cost; pinned, runs repeat within a few percent
                new Pair("pipe ping-pong (one CPU)", "runqlat", 1_000_000, List.of(w, "pingpong", "1000000", "1")),
                new Pair("pipe ping-pong (one CPU)", "syscount", 1_000_000, List.of(w, "pingpong", "1000000", "1")),
                new Pair("getppid storm", "syscount", 2_000_000, List.of(w, "getppid", "2000000")),
                new Pair("syscall mix (8 kinds)", "syscount", 2_000_000, List.of(w, "mix", "2000000")),
                // long enough (about a second) that the virtual disk's latency swings average out
                new Pair("O_DIRECT writes", "biolatency", 15_000, List.of(w, "directio", data.toString(), "15000")));
        Tracers.DaemonTracer daemon = Tracers.kgadgetDaemon(ShippedClasspath.daemon());
        List<Tracers.Tracer> tracers = List.of(
                Tracers.kgadgetLocal(Path.of(System.getProperty("kgadget.command", "kubectl-plugin/target/kgadget.command"))),
                daemon, Tracers.bpftrace(), Tracers.libbpfTools());
        System.out.printf("kgadget vs peers — %s, %d CPUs, kernel %s; %d repetitions, interleaved; the daemon on %s%n%n",
                BenchMain.cpuModel(), Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"), reps,
                Tracers.javaBin());
        System.out.printf("one thread waking another: %s after 0.5 s idle, %s after 20 ms (a call to the daemon is"
                + " several such hand-offs)%n%n", WakeLatency.after(500, 9), WakeLatency.after(20, 9));
        try (PodCgroup.Pod pod = PodCgroup.pod("bench-0", "bench")) {
            for (Pair pair : pairs) {
                if (only.isEmpty() || only.contains(pair.gadget())) {
                    run(pair, tracers, reps, pod);
                }
            }
            if (only.isEmpty() || only.contains("five")) {
                fiveAtOnce(daemon, pairs, pod);
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(data);
        }
        System.exit(0); // the daemon's gRPC channel threads
    }

    /**
     * The daemon's memory with five gadgets running at once (the RSS target), through each
     * workload once: its resident set at the end and its peak since it started; and where it
     * grows: before they start (alone, `bench/compare 1 five`: a fresh daemon that has answered one
     * call) and after each one starts.
     */
    private static void fiveAtOnce(Tracers.DaemonTracer daemon, List<Pair> pairs, PodCgroup.Pod pod) throws Exception {
        List<String> gadgets = List.of("execsnoop", "opensnoop", "runqlat", "biolatency", "syscount");
        List<Tracers.Running> running = new ArrayList<>();
        long pid = daemon.pid();
        List<String> steps = new ArrayList<>();
        steps.add(String.format(Locale.ROOT, "before %.0f", ProcStats.rssKiB(pid) / 1024.0));
        for (String g : gadgets) {
            running.add(daemon.start(g, pod));
            steps.add(String.format(Locale.ROOT, "+%s %.0f", g, ProcStats.rssKiB(pid) / 1024.0));
        }
        Set<String> done = new HashSet<>(); // each workload once
        for (Pair p : pairs) {
            if (done.add(p.workload())) {
                workload(p, pod);
            }
        }
        Thread.sleep(200);
        long rss = ProcStats.rssKiB(pid);
        long lost = 0;
        for (Tracers.Running r : running) {
            lost += Math.max(0, r.stop().lost());
        }
        System.out.printf(Locale.ROOT, "kgadget daemon with %s running at once, through each workload above:%n"
                + "  RSS %.0f MiB at the end, %.0f MiB peak since the daemon started; lost %d%n"
                + "  RSS in MiB as they started: %s%n%n",
                String.join(", ", gadgets), rss / 1024.0, ProcStats.peakRssKiB(pid) / 1024.0, lost,
                String.join(", ", steps));
    }

    private static void run(Pair pair, List<Tracers.Tracer> tracers, int reps, PodCgroup.Pod pod) throws Exception {
        System.out.printf("%s (%d ops) under %s%n", pair.workload(), pair.ops(), pair.gadget());
        Map<String, List<Double>> overhead = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        List<Double> baseline = new ArrayList<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (Tracers.Tracer t : tracers) {
            String why = t.missing(pair.gadget());
            if (why != null) {
                missing.put(t.name(), why);
            }
        }
        Map<String, double[]> byRepetition = new LinkedHashMap<>();
        for (Tracers.Tracer t : tracers) {
            double[] none = new double[reps];
            Arrays.fill(none, Double.NaN);
            byRepetition.put(t.name(), none);
        }
        for (int r = 0; r < reps; r++) {
            List<Double> base = new ArrayList<>();
            base.add(workload(pair, pod));
            Map<String, Sample> traced = new LinkedHashMap<>();
            // a new order each repetition: no tracer always runs first after the baseline, or last
            List<Tracers.Tracer> order = new ArrayList<>(tracers);
            Collections.shuffle(order, ORDER);
            for (Tracers.Tracer t : order) {
                if (missing.containsKey(t.name())) {
                    continue;
                }
                try {
                    Tracers.Running running = t.start(pair.gadget(), pod);
                    Thread.sleep(200); // settled
                    double opsPerSec = workload(pair, pod);
                    Thread.sleep(200); // the last events drained
                    traced.put(t.name(), new Sample(opsPerSec, running.stop(), running.attachMs(), running.ownAttachMs()));
                } catch (Exception e) {
                    missing.put(t.name(), "failed: " + e.getMessage());
                }
            }
            base.add(workload(pair, pod));
            double b = base.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            baseline.addAll(base);
            int rep = r;
            tracers.stream().map(Tracers.Tracer::name).filter(traced::containsKey).forEach(name -> {
                Sample s = traced.get(name);
                double o = 100.0 * (b / s.opsPerSec() - 1);
                overhead.computeIfAbsent(name, k -> new ArrayList<>()).add(o);
                samples.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
                byRepetition.get(name)[rep] = o;
            });
        }
        Map<String, Double> bpfNs = bpfNsPerOp(pair, tracers, missing, pod);
        System.out.printf("  %-18s %12s %22s %9s %8s %11s %12s %6s %10s%n", "tracer", "ops/s", "overhead % med (min-max)",
                "CPU ms", "RSS MiB", "attach ms", "delivered/op", "lost", "BPF ns/op");
        System.out.printf("  %-18s %12.0f %22s %9s %8s %11s %12s %6s %10s%n", "none", median(baseline), "-", "-", "-", "-", "-", "-", "-");
        for (var e : samples.entrySet()) {
            List<Sample> s = e.getValue();
            List<Double> o = overhead.get(e.getKey());
            Double ns = bpfNs.get(e.getKey());
            System.out.printf(Locale.ROOT, "  %-18s %12.0f %22s %9.0f %8.0f %11s %12.2f %6s %10s%n", e.getKey(),
                    median(s.stream().map(Sample::opsPerSec).toList()),
                    String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", median(o), min(o), max(o)),
                    median(s.stream().map(x -> (double) x.stopped().cpuMs()).toList()),
                    median(s.stream().map(x -> x.stopped().rssKiB() / 1024.0).toList()),
                    attach(s),
                    median(s.stream().map(x -> (double) x.stopped().events() / pair.ops()).toList()),
                    s.stream().mapToLong(x -> x.stopped().lost()).max().orElse(0) < 0 ? "n/a"
                            : Long.toString(s.stream().mapToLong(x -> x.stopped().lost()).max().orElse(0)),
                    ns == null ? "-" : String.format(Locale.ROOT, "%.0f", ns));
        }
        missing.forEach((name, why) -> System.out.printf("  %-18s missing: %s%n", name, why));
        bpfNs.forEach((name, ns) -> {
            if (ns == 0) { // e.g. a kprobe tool on a kernel whose kprobes do not fire: it attached and saw nothing
                System.out.printf("  %-18s traced nothing: its BPF programs never ran during the workload, so its overhead is a bystander's%n", name);
            }
        });
        paired(overhead, byRepetition, bpfNs);
        System.out.println();
    }

    /**
     * Each of ours against the peer with the lowest median overhead (of those whose programs ran),
     * repetition by repetition: what the min–max bands cannot show where they overlap.
     */
    private static void paired(Map<String, List<Double>> overhead, Map<String, double[]> byRepetition,
                               Map<String, Double> bpfNs) {
        String best = null;
        for (String name : overhead.keySet()) {
            boolean peer = !name.startsWith(Tracers.OURS);
            Double ns = bpfNs.get(name); // null: the statistics were not available
            boolean tracedSomething = ns == null || ns != 0;
            if (peer && tracedSomething && (best == null || median(overhead.get(name)) < median(overhead.get(best)))) {
                best = name;
            }
        }
        if (best == null) {
            return;
        }
        for (String name : overhead.keySet()) {
            if (name.startsWith(Tracers.OURS)) {
                System.out.printf("  %-18s vs %s, paired: %s%n", name, best,
                        new PairedComparison(byRepetition.get(name), byRepetition.get(best)).describe());
            }
        }
    }

    /** The median start to attached; for the daemon, then its own share of it in parentheses (the rest is the call's). */
    private static String attach(List<Sample> s) {
        String all = String.format(Locale.ROOT, "%.0f", median(s.stream().map(x -> (double) x.attachMs()).toList()));
        return s.get(0).ownAttachMs() < 0 ? all : String.format(Locale.ROOT, "%s (%.0f)", all,
                median(s.stream().map(x -> (double) x.ownAttachMs()).toList()));
    }

    /**
     * Each tracer's BPF programs' own run time per workload operation, from the kernel's run-time
     * statistics: one more run per tracer with them on (only then: they add ~25 ns to every
     * program run), its programs told apart as those loaded after it started. It leaves out the
     * user-space side and the hooks' dispatch, but has none of the workload's noise: where the
     * overheads are inside it (biolatency), this still tells the tracers apart.
     */
    private static Map<String, Double> bpfNsPerOp(Pair pair, List<Tracers.Tracer> tracers, Map<String, String> missing,
                                                  PodCgroup.Pod pod) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        try (ProgramStats stats = ProgramStats.enable()) {
            if (!stats.enabled()) {
                return out;
            }
            for (Tracers.Tracer t : tracers) {
                if (missing.containsKey(t.name())) {
                    continue;
                }
                Set<Integer> before = new HashSet<>();
                LoadedPrograms.list().forEach(p -> before.add(p.id()));
                Tracers.Running running = t.start(pair.gadget(), pod);
                try {
                    Thread.sleep(200); // settled
                    Map<Integer, Long> start = runTimeNs(before);
                    workload(pair, pod);
                    Map<Integer, Long> end = runTimeNs(before);
                    long ns = 0;
                    for (var e : start.entrySet()) {
                        ns += end.getOrDefault(e.getKey(), e.getValue()) - e.getValue();
                    }
                    out.put(t.name(), (double) ns / pair.ops());
                } finally {
                    running.stop();
                }
            }
        }
        return out;
    }

    /** Run time so far of each program loaded now and not among {@code before}, by id. */
    private static Map<Integer, Long> runTimeNs(Set<Integer> before) {
        Map<Integer, Long> out = new HashMap<>();
        for (ProgramStats.Info p : LoadedPrograms.list()) {
            if (!before.contains(p.id())) {
                out.put(p.id(), p.runTimeNs());
            }
        }
        return out;
    }

    /** The workload's own rate: what kgwork prints, timed around its operations alone. */
    private static double workload(Pair pair, PodCgroup.Pod pod) throws Exception {
        Process p = pod.cgroup().start(pair.command().toArray(String[]::new));
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", pair.command()) + " exited " + p.exitValue() + ": " + out);
        }
        Matcher m = OPS_PER_SECOND.matcher(out);
        if (!m.find() || Long.parseLong(m.group(1)) != pair.ops()) {
            throw new IllegalStateException("no rate of " + pair.ops() + " ops from " + String.join(" ", pair.command()) + ": " + out);
        }
        return Double.parseDouble(m.group(2));
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
