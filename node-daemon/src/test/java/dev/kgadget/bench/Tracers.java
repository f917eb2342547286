package dev.kgadget.bench;


import dev.kgadget.daemon.testing.FakeApiServer;
import dev.kgadget.daemon.testing.PodCgroup;
import dev.kgadget.api.grpc.ListTracesRequest;
import dev.kgadget.api.grpc.NodeDaemonGrpc;
import dev.kgadget.api.grpc.StartTraceRequest;
import dev.kgadget.api.grpc.StopTraceRequest;
import dev.kgadget.daemon.testing.ProcStats;
import dev.kgadget.daemon.testing.TestTls;

import io.grpc.ManagedChannel;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/** The tracers compared: kgadget (local CLI and daemon) and the Debian peers (bpftrace, libbpf-tools). */
final class Tracers {
    /** The first word of our tracers' names: the rest are peers. */
    static final String OURS = "kgadget";

    private Tracers() {
    }

    /** What a finished traced run reports. */
    record Stopped(long events, long lost, long cpuMs, long rssKiB) {
    }

    /** A started tracer: how long it took to attach; stop() ends it. */
    interface Running {
        long attachMs();

        /** The daemon's own share of {@link #attachMs()} (from taking the call to attached); -1 for a process. */
        default long ownAttachMs() {
            return -1;
        }

        long pid();

        Stopped stop() throws Exception;
    }

    interface Tracer {
        String name();

        /** Null when this tracer has no equivalent of the gadget (reported as missing). */
        String missing(String gadget);

        Running start(String gadget, PodCgroup.Pod target) throws Exception;
    }

    /** The daemon: one process serving every trace. */
    interface DaemonTracer extends Tracer {
        /** Its pid, once it is started and has answered a call over its TLS (started if it is not). */
        long pid() throws Exception;
    }

    // ---- processes: kgadget's local CLI and the Debian peers ----

    /**
     * A tracer that is a process printing lines (stdout and stderr together): attached when
     * {@code attached} matches a line, stopped with SIGINT (Ctrl-C, which makes each of them
     * print its summary), its output counted by {@code result} from the number of lines after
     * attaching and the lines worth keeping (the summary ones).
     */
    private static Tracer process(String name, BiFunction<String, PodCgroup.Pod, Optional<List<String>>> command,
                                  Predicate<String> attached, BiFunction<Long, String, long[]> result) {
        return new Tracer() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String missing(String gadget) {
                return command.apply(gadget, null).isEmpty() ? "no " + gadget + " for " + name + " on this machine" : null;
            }

            @Override
            public Running start(String gadget, PodCgroup.Pod target) throws Exception {
                List<String> cmd = command.apply(gadget, target).orElseThrow();
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                // a tracer that never says it is attached must not hang the benchmark
                ScheduledFuture<?> guard = Executors.newSingleThreadScheduledExecutor()
                        .schedule(p::destroyForcibly, 60, TimeUnit.SECONDS);
                BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                long attach = -1;
                String line;
                String last = "";
                while ((line = r.readLine()) != null) {
                    if (attached.test(line)) {
                        attach = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                        break;
                    }
                    last = line;
                }
                guard.cancel(false);
                if (attach < 0) {
                    throw new IllegalStateException(name + " " + gadget + " ended before attaching: " + last);
                }
                AtomicLong lines = new AtomicLong();
                StringBuilder summary = new StringBuilder();
                CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
                    try {
                        String l;
                        while ((l = r.readLine()) != null) {
                            lines.incrementAndGet();
                            if (l.contains(" lost ") || l.startsWith("events ") || l.startsWith("count ")) {
                                synchronized (summary) {
                                    summary.append(l).append('\n');
                                }
                            }
                        }
                    } catch (IOException e) {
                        // closed
                    }
                });
                long attachMs = attach;
                return new Running() {
                    @Override
                    public long attachMs() {
                        return attachMs;
                    }

                    @Override
                    public long pid() {
                        return p.pid();
                    }

                    @Override
                    public Stopped stop() throws Exception {
                        long cpu = ProcStats.cpuMs(p.pid());
                        long rss = ProcStats.peakRssKiB(p.pid());
                        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                        if (!p.waitFor(60, TimeUnit.SECONDS)) {
                            p.destroyForcibly();
                        }
                        reader.get(10, TimeUnit.SECONDS);
                        long[] r = result.apply(lines.get(), summary.toString());
                        return new Stopped(r[0], r[1], cpu, rss);
                    }
                };
            }
        };
    }

    /**
     * kgadget's CLI with text output, as a user watches it (and as the peers print): every event a
     * line. {@code command} holds the launcher's JVM command line, one word a line
     * ({@code ./kgadget java-command}: its flags and class-data archive), so the benchmark starts
     * the CLI exactly as users do, minus the launcher's bash.
     */
    static Tracer kgadgetLocal(Path command) {
        return process(OURS + " local", (gadget, target) -> {
                    if (!Files.isRegularFile(command)) {
                        return Optional.empty();
                    }
                    List<String> cmd = new ArrayList<>(readLines(command));
                    cmd.addAll(List.of("run", gadget, "--duration", "1h", "--cgroup",
                            target == null ? "" : target.cgroup().path().toString()));
                    return Optional.of(cmd);
                },
                l -> l.startsWith("Tracing"),
                // event gadgets say "events N", histograms and counts "count N"; both say "lost N"
                (lines, summary) -> new long[]{number(summary, "events (\\d+)") >= 0 ? number(summary, "events (\\d+)")
                        : number(summary, "count (\\d+)"), number(summary, "lost (\\d+)")});
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long number(String text, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    // ---- kgadget daemon (gRPC, mTLS) ----

    static DaemonTracer kgadgetDaemon(String classpath) {
        return new DaemonTracer() {
            private Process daemon;
            private FakeApiServer api;
            private ManagedChannel channel;

            @Override
            public String name() {
                return OURS + " daemon";
            }

            @Override
            public String missing(String gadget) {
                return null;
            }

            private synchronized void ensureDaemon() throws Exception {
                if (daemon != null) {
                    return;
                }
                Path tls = Files.createTempDirectory("kgadget-bench-tls");
                TestTls.PAIR.server().writeTo(tls);
                int port;
                try (var s = new java.net.ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                // its status writes go to a stand-in API server over TLS, as a pod's would: the
                // client, its TLS and the writes are part of its memory
                api = FakeApiServer.start(r -> new FakeApiServer.Answer(200, "{}"));
                Path serviceAccount = api.writeServiceAccount(tls.resolve("serviceaccount"), "bench");
                // the image's JVM flags and environment, and as much memory as the chart's limit
                // gives its container (daemon.resources: 320Mi): RSS is part of the comparison
                ImageRuntime image = ImageRuntime.fromPom(Path.of("pom.xml"));
                List<String> command = new ArrayList<>(List.of(javaBin(), "-XX:MaxRAM=320m"));
                command.addAll(image.jvmFlags());
                // more flags to try, e.g. -XX:NativeMemoryTracking=summary
                String extra = System.getenv("KGADGET_BENCH_DAEMON_FLAGS");
                if (extra != null && !extra.isBlank()) {
                    command.addAll(List.of(extra.strip().split("\\s+")));
                }
                command.addAll(List.of("-cp", classpath,
                        "dev.kgadget.daemon.Main", "--grpc-port", Integer.toString(port), "--health-port", "0",
                        "--tls-dir", tls.toString(), "--api-server", api.uri().toString(),
                        "--service-account-dir", serviceAccount.toString()));
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(new File("/dev/null"));
                image.environment().forEach((k, v) -> {
                    if (k.startsWith("MALLOC_")) { // the image's PATH and JAVA_HOME are its own
                        pb.environment().put(k, v);
                    }
                });
                pb.environment().put("NODE_NAME", "bench");
                daemon = pb.start();
                Process started = daemon;
                // the benchmark ends with System.exit: the daemon must not outlive it
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.destroy();
                    try {
                        started.waitFor(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
                channel = TestTls.channel("127.0.0.1", port);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (true) {
                    try {
                        NodeDaemonGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                                .listTraces(ListTracesRequest.getDefaultInstance());
                        return;
                    } catch (RuntimeException notYet) {
                        if (System.nanoTime() > until) {
                            throw new IllegalStateException("the daemon did not start", notYet);
                        }
                        Thread.sleep(200);
                    }
                }
            }

            @Override
            public long pid() throws Exception {
                ensureDaemon();
                return daemon.pid();
            }

            @Override
            public Running start(String gadget, PodCgroup.Pod target) throws Exception {
                ensureDaemon();
                String uid = UUID.randomUUID().toString();
                var stub = NodeDaemonGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
                long t0 = System.nanoTime();
                var started = stub.startTrace(StartTraceRequest.newBuilder().setJobUid(uid).setJobNamespace("bench")
                        .setJobName(gadget).setGadget(gadget).setDurationMs(3_600_000).setMaxEvents(1000)
                        .addTargets(target.target()).build());
                long attach = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                if (!started.getAccepted()) {
                    throw new IllegalStateException("daemon refused " + gadget + ": " + started.getMessage());
                }
                long cpu0 = ProcStats.cpuMs(daemon.pid());
                return new Running() {
                    @Override
                    public long attachMs() {
                        return attach;
                    }

                    @Override
                    public long ownAttachMs() {
                        return TimeUnit.MICROSECONDS.toMillis(started.getAttachMicros());
                    }

                    @Override
                    public long pid() {
                        return daemon.pid();
                    }

                    @Override
                    public Stopped stop() {
                        var s = NodeDaemonGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
                        // one listing for both figures: the trace runs on between two calls
                        var mine = s.listTraces(ListTracesRequest.getDefaultInstance()).getTracesList().stream()
                                .filter(t -> t.getJobUid().equals(uid)).toList();
                        long events = mine.stream().mapToLong(t -> t.getEvents()).sum();
                        long lost = mine.stream().mapToLong(t -> t.getLostEvents()).sum();
                        long cpu = ProcStats.cpuMs(daemon.pid()) - cpu0;
                        s.stopTrace(StopTraceRequest.newBuilder().setJobUid(uid).setReason("bench").build());
                        return new Stopped(events, lost, cpu, ProcStats.peakRssKiB(daemon.pid()));
                    }
                };
            }

            @Override
            public String toString() {
                return name();
            }
        };
    }

    // ---- Debian peers: line-buffered (their stdio buffers a pipe, and their first line says they are attached) ----

    /** bpftrace with the tools Debian ships (/usr/sbin/*.bt). */
    static Tracer bpftrace() {
        return process("bpftrace 0.17", (gadget, target) -> {
            Path tool = Path.of("/usr/sbin/" + gadget + ".bt");
            return Files.isRegularFile(tool) && Files.isExecutable(Path.of("/usr/bin/bpftrace"))
                    ? Optional.of(List.of("stdbuf", "-oL", "-eL", "/usr/bin/bpftrace", tool.toString())) : Optional.empty();
        }, l -> l.startsWith("Attaching") || l.startsWith("Tracing"), Tracers::linesPrinted);
    }

    /** libbpf-tools (Debian's libbpf-tools package). */
    static Tracer libbpfTools() {
        return process("libbpf-tools 0.26", (gadget, target) -> {
            for (String dir : List.of("/usr/sbin/", "/usr/bin/", "/usr/lib/libbpf-tools/")) {
                Path tool = Path.of(dir + gadget);
                if (Files.isExecutable(tool)) {
                    return Optional.of(List.of("stdbuf", "-oL", "-eL", tool.toString()));
                }
            }
            return Optional.empty();
        }, l -> true, Tracers::linesPrinted);
    }

    /** The peers report no losses; their events are the lines they print. */
    private static long[] linesPrinted(long lines, String summary) {
        return new long[]{lines, -1};
    }

    /**
     * The images' JRE (image-base, which bench/compare builds), else this JVM's: the daemon's
     * memory is measured on the runtime it ships with.
     */
    static String javaBin() {
        Path image = Path.of("image-base/target/rootfs-jre/opt/java/bin/java");
        return Files.isExecutable(image) ? image.toString()
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
