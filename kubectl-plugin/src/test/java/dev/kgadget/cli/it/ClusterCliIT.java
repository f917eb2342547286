package dev.kgadget.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.cli.CliEnvironment;
import dev.kgadget.cli.ExitGate;
import dev.kgadget.cli.Main;
import dev.kgadget.daemon.libbpf.LoadedPrograms;
import dev.kgadget.daemon.testing.Workloads;
import dev.kgadget.operator.OperatorApp;
import dev.kgadget.operator.testing.ApiServer;
import dev.kgadget.operator.testing.FakeCluster;
import dev.kgadget.operator.testing.MutableClock;
import dev.kgadget.api.crd.TraceSchedule;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kubectl gadget} end to end, in-process: the CLI in cluster mode against a real
 * kube-apiserver, the operator and a real node daemon (real BPF, real cgroups, real workloads).
 */
class ClusterCliIT {
    private static KubernetesClient client;
    private static FakeCluster cluster;
    private static OperatorApp operator;
    private static Path kubeconfig;
    /** What schedules read the time from: the schedule test moves it to a due time. */
    private static final MutableClock CLOCK = new MutableClock(java.time.Instant.now());
    private String ns;

    record Outcome(int code, String out, String err) {
    }

    @BeforeAll
    static void cluster() throws Exception {
        client = ApiServer.client();
        cluster = new FakeCluster(client);
        cluster.node("node-a", Map.of());
        cluster.node("node-b", Map.of());
        cluster.startDaemon("node-a");
        cluster.startDaemon("node-b");
        operator = new OperatorApp(ApiServer.newClient(), dev.kgadget.operator.OperatorSettings.of(FakeCluster.DAEMON_NAMESPACE)
                .withGrace(Duration.ofSeconds(3)).withClock(CLOCK, Duration.ofMillis(300))).start();
        kubeconfig = Files.createTempFile(Path.of(System.getProperty("kgadget.testDir", "target")), "kubeconfig", ".yaml");
        Files.writeString(kubeconfig, ApiServer.kubeconfigYaml());
    }

    @AfterAll
    static void teardown() throws Exception {
        operator.close();
        cluster.close();
        Files.deleteIfExists(kubeconfig);
    }

    @BeforeEach
    void namespace() {
        ns = FakeCluster.uniqueNamespace("cli");
        cluster.namespace(ns);
    }

    @Test
    void runSyscountPrintsTheSelectedPodsCountAndDeletesTheJob() throws Exception {
        var pod = cluster.pod(ns, "x-1", "node-a", Map.of("app", "x"));
        var other = cluster.pod(ns, "y-1", "node-a", Map.of("app", "y"));
        CompletableFuture<Outcome> run = async("run", "syscount", "-l", "app=x", "--duration", "3s", "-n", ns);
        TraceJob job = awaitRunningJob();
        assertThat(job.getMetadata().getName()).startsWith("syscount-");
        other.cgroup().run(Workloads.kgwork(), "getppid", "999");
        pod.cgroup().run(Workloads.kgwork(), "getppid", "4321");
        Outcome o = run.get(60, TimeUnit.SECONDS);
        log("kubectl gadget run syscount -l app=x --duration 3s -n " + ns, o);
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).containsPattern("(?m)^getppid\\s+4321$");
        assertThat(o.err()).contains("Tracing syscount on the pods of " + ns + " matching app=x for 3s");
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs().isEmpty());
    }

    @Test
    void runExecsnoopPrintsTheSelectedPodsExecsWithNodeAndPod() throws Exception {
        var pod = cluster.pod(ns, "e-1", "node-a", Map.of("app", "e"));
        var other = cluster.pod(ns, "f-1", "node-a", Map.of("app", "f"));
        CompletableFuture<Outcome> run = async("run", "execsnoop", "-l", "app in (e)", "--duration", "3s", "-n", ns);
        awaitRunningJob();
        pod.cgroup().run(Workloads.kgwork(), "exec", "3", "/bin/true");
        other.cgroup().run(Workloads.kgwork(), "exec", "5", "/bin/echo");
        Outcome o = run.get(60, TimeUnit.SECONDS);
        assertThat(o.code()).as(o.err()).isZero();
        List<String> lines = o.out().lines().toList();
        assertThat(lines.get(0)).startsWith("NODE         NAMESPACE    POD                      CONTAINER    TIME         PCOMM");
        // 3 execs of /bin/true, and the pod's own exec of kgwork; each says whose it is
        assertThat(lines.stream().filter(l -> l.endsWith(" /bin/true") && l.contains(" true "))).hasSize(3)
                .allSatisfy(l -> assertThat(l).startsWith(String.format("node-a       %-12s e-1                      app ", ns)));
        assertThat(lines).hasSize(5);
        assertThat(o.out()).doesNotContain("/bin/echo");
        assertThat(o.err()).contains("events 4");
    }

    @Test
    void scheduleCreateListSuspendResumeResultsAndDelete() throws Exception {
        var pod = cluster.pod(ns, "db-0", "node-a", Map.of("app", "db"));
        Outcome created = cli("schedule", "create", "db-calls", "--schedule", "*/5 * * * *", "--time-zone", "Europe/Berlin",
                "syscount", "-l", "app=db", "-d", "2s", "-p", "top=3", "--alert", "lostEvents>0", "--successful-history", "2",
                "-n", ns);
        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("db-calls\n");
        assertThat(created.err()).isEqualTo("Created traceschedule db-calls in namespace " + ns + ": syscount for 2s at "
                + "'*/5 * * * *' (Europe/Berlin); see 'kubectl gadget results --schedule db-calls'.\n");
        TraceSchedule s = client.resources(TraceSchedule.class).inNamespace(ns).withName("db-calls").get();
        assertThat(s.getSpec().getJobTemplate().getParameters()).containsEntry("top", "3");
        assertThat(s.getSpec().getAlerts()).singleElement().satisfies(a -> {
            assertThat(a.getMetric()).isEqualTo(dev.kgadget.api.crd.AlertMetric.LOST_EVENTS);
            assertThat(a.getAbove()).isZero();
        });
        assertThat(s.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(2);

        List<String> list = cli("schedule", "list", "-n", ns).out().lines().toList();
        assertThat(list.get(0)).startsWith("NAME").contains("SCHEDULE").contains("LAST SCHEDULE");
        assertThat(list.get(1)).startsWith("db-calls").contains("*/5 * * * * (Europe/Berlin)").contains("syscount   false");
        assertThat(cli("schedule", "suspend", "db-calls", "-n", ns).code()).isZero();
        assertThat(client.resource(s).get().getSpec().getSuspend()).isTrue();
        assertThat(cli("schedule", "resume", "db-calls", "-n", ns).code()).isZero();
        assertThat(client.resource(s).get().getSpec().getSuspend()).isFalse();

        // the next due time comes (the operator's clock is moved there): a real run on the pod.
        // Due after the schedule exists: the clock was set when the class loaded, and a
        // five-minute boundary between then and the schedule's creation is no due time of it.
        java.time.Instant createdAt = java.time.Instant.parse(s.getMetadata().getCreationTimestamp());
        java.time.Instant now = CLOCK.instant().isAfter(createdAt) ? CLOCK.instant() : createdAt;
        java.time.Instant due = now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(
                (now.atZone(java.time.ZoneOffset.UTC).getMinute() / 5 + 1) * 5L, java.time.temporal.ChronoUnit.MINUTES);
        CLOCK.set(due.plusSeconds(1));
        TraceJob run = awaitRunningJob();
        assertThat(run.getMetadata().getName()).isEqualTo("db-calls-" + due.getEpochSecond() / 60);
        pod.cgroup().run(Workloads.kgwork(), "getppid", "321");
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            var st = client.resource(s).get().getStatus();
            return st != null && st.getTrend() != null && !st.getTrend().isEmpty();
        });
        Outcome results = cli("results", "--schedule", "db-calls", "-n", ns);
        log("kubectl gadget results --schedule db-calls -n " + ns, results);
        assertThat(results.code()).as(results.err()).isZero();
        List<String> lines = results.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("RUN +SCHEDULED +PHASE +COUNT +P50 +P90 +P99 +EVENTS +LOST +TOP +ALERTS");
        assertThat(lines.get(1)).startsWith(run.getMetadata().getName() + "   " + due.toString().replace(":00Z", "Z"))
                .contains("Succeeded").contains("getppid=321")
                // nothing lost: the alert did not fire
                .endsWith("   -");
        JsonNode json = new ObjectMapper().readTree(cli("results", "--schedule", "db-calls", "-n", ns, "-o", "json").out());
        assertThat(json.get(0).get("top").get(0).get("name").asText()).isEqualTo("getppid");
        assertThat(json.get(0).get("top").get(0).get("count").asLong()).isEqualTo(321);

        assertThat(cli("schedule", "get", "db-calls", "-n", ns).out()).contains("Schedule:     */5 * * * * (Europe/Berlin)")
                .contains("Runs:         syscount for 2s on pods matching app=db, parameters {top=3}")
                .contains("Condition:    ScheduleValid=True Valid");
        assertThat(cli("schedule", "delete", "db-calls", "-n", ns).code()).isZero();
        assertThat(client.resource(s).get()).isNull();
    }

    @Test
    void profileMergesStacksIntoFoldedTextAndAFlameGraphInTheResultsAndOnDisk() throws Exception {
        var pod = cluster.pod(ns, "burn-0", "node-a", Map.of("app", "burn"));
        Process burner = pod.cgroup().start(Workloads.kgburn(), "4000");
        Path svg = Files.createTempFile(Path.of(System.getProperty("kgadget.testDir", "target")), "profile", ".svg");
        try {
            Outcome o = cli("run", "profile", "-l", "app=burn", "--duration", "2s", "-p", "frequency=199", "--keep",
                    "--svg", svg.toString(), "-n", ns);
            assertThat(o.code()).as(o.err()).isZero();
            List<String> lines = o.out().lines().toList();
            long total = lines.stream().mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
            long hot = lines.stream().filter(l -> l.startsWith("kgburn;") && l.contains(";main;burn_outer;burn_hot"))
                    .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
            assertThat(total).as(o.out()).isBetween(200L, 500L);
            assertThat(hot).as(o.out()).isGreaterThan(total * 8 / 10);
            assertThat(o.err()).contains("flame graph: " + svg);
            var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
            assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(Files.readString(svg)).contains("burn_hot").contains("burn_outer");

            // the results ConfigMap holds the merged folded stacks and the flame graph too
            TraceJob job = jobs().get(0);
            var cm = client.configMaps().inNamespace(ns).withName(job.getStatus().getResultsConfigMap()).get();
            assertThat(cm.getData().get("stacks.folded")).contains(";main;burn_outer;burn_hot ");
            assertThat(cm.getData().get("flamegraph.svg")).startsWith("<?xml").contains("burn_hot");
            Outcome again = cli("results", job.getMetadata().getName(), "--svg", svg.toString(), "-n", ns);
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(again.out()).isEqualTo(o.out());
            assertBad(cli("results", job.getMetadata().getName(), "--svg", "/nonexistent/x.svg", "-n", ns),
                    "kgadget: --svg /nonexistent/x.svg: no writable directory /nonexistent");
        } finally {
            burner.destroy();
            Files.deleteIfExists(svg);
        }
    }

    @Test
    void scheduleBadInputIsOneLineAndExitCode2() {
        assertBad(cli("schedule", "create", "x", "--schedule", "61 * * * *", "execsnoop", "-n", ns),
                "kgadget: --schedule: '61 * * * *' is not a valid cron expression");
        assertBad(cli("schedule", "create", "x", "--schedule", "@often", "execsnoop", "-n", ns),
                "kgadget: --schedule: unknown macro '@often'");
        assertBad(cli("schedule", "create", "x", "--schedule", "@daily", "--time-zone", "Mars/Olympus", "execsnoop", "-n", ns),
                "kgadget: --time-zone: 'Mars/Olympus' is not an IANA time zone");
        assertBad(cli("schedule", "create", "x", "--schedule", "@daily", "execsnoop", "--alert", "p99>>5", "-n", ns),
                "kgadget: --alert 'p99>>5': write METRIC>VALUE");
        assertBad(cli("schedule", "create", "x", "--schedule", "@daily", "execsnop", "-n", ns),
                "kgadget: unknown gadget 'execsnop'; did you mean execsnoop?");
        assertBad(cli("schedule", "get", "nope", "-n", ns), "kgadget: traceschedule 'nope' not found in namespace " + ns);
        assertBad(cli("results", "-n", ns), "kgadget: give a TraceJob name or --schedule NAME (one of them)");
        assertThat(client.resources(TraceSchedule.class).inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void followStreamsEachExecWhileTheJobRunsAndPrintsEachOnce() throws Exception {
        var pod = cluster.pod(ns, "s-1", "node-a", Map.of("app", "s"));
        var other = cluster.pod(ns, "t-1", "node-a", Map.of("app", "t"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run(new String[]{"run", "execsnoop",
                "-l", "app=s", "--duration", "6s", "--follow", "-n", ns, "--kubeconfig", kubeconfig.toString()},
                env(out, err), true));
        TraceJob job = awaitRunningJob();
        pod.cgroup().run(Workloads.kgwork(), "exec", "3", "/bin/true");
        other.cgroup().run(Workloads.kgwork(), "exec", "5", "/bin/echo");
        // the rows arrive while the job still runs: streamed, not read from the results afterwards
        await().atMost(Duration.ofSeconds(5)).until(() -> trueRows(out.toString(StandardCharsets.UTF_8)).size() == 3);
        assertThat(client.resources(TraceJob.class).inNamespace(ns).withName(job.getMetadata().getName()).get()
                .getStatus().getPhase()).isEqualTo(TraceJobPhase.Running);

        int code = run.get(60, TimeUnit.SECONDS);
        Outcome o = new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        log("kubectl gadget run execsnoop -l app=s --duration 6s --follow -n " + ns, o);
        assertThat(o.code()).as(o.err()).isZero();
        List<String> lines = o.out().lines().toList();
        assertThat(lines.get(0)).startsWith("NODE         NAMESPACE    POD                      CONTAINER    TIME         PCOMM");
        assertThat(trueRows(o.out())).hasSize(3)
                .allSatisfy(l -> assertThat(l).startsWith(String.format("node-a       %-12s s-1                      app ", ns)));
        assertThat(lines).as("header, kgwork's exec and 3 of /bin/true, each once").hasSize(5);
        assertThat(o.out()).doesNotContain("/bin/echo");
        assertThat(o.err()).contains("events 4").doesNotContain("not streamed");
    }

    @Test
    void followPrintsTheEventsOfNodesItCannotStreamFromTheResultsAndSaysWhy() throws Exception {
        var a = cluster.pod(ns, "u-a", "node-a", Map.of("app", "u"));
        var b = cluster.pod(ns, "u-b", "node-b", Map.of("app", "u"));
        CompletableFuture<Outcome> run = async("run", "execsnoop", "-l", "app=u", "--duration", "4s", "-f", "-o", "json",
                "--daemon-namespace", "nowhere", "-n", ns);
        awaitRunningOn(2);
        a.cgroup().run(Workloads.kgwork(), "exec", "2", "/bin/true");
        b.cgroup().run(Workloads.kgwork(), "exec", "3", "/bin/true");
        Outcome o = run.get(60, TimeUnit.SECONDS);
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("kgadget: node node-a: not streamed (no Ready kgadget daemon pod in namespace nowhere")
                .contains("kgadget: node node-b: not streamed (").contains("events 7");
        // -o json --follow: one object per line, with where it happened
        List<JsonNode> events = o.out().lines().map(ClusterCliIT::json).toList();
        assertThat(events).hasSize(7);
        assertThat(events).filteredOn(e -> e.get("filename").asText().equals("/bin/true")).hasSize(5)
                .allSatisfy(e -> {
                    assertThat(e.get("namespace").asText()).isEqualTo(ns);
                    assertThat(e.get("container").asText()).isEqualTo("app");
                    assertThat(e.get("pod").asText()).isEqualTo(e.get("node").asText().equals("node-a") ? "u-a" : "u-b");
                });
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    private static List<String> trueRows(String out) {
        return out.lines().filter(l -> l.endsWith(" /bin/true") && l.contains(" true ")).toList();
    }

    @Test
    void runqlatOnTwoNodesPrintsTheMergedHistogramThenEachNodesWithPerNode() throws Exception {
        var a = cluster.pod(ns, "web-a", "node-a", Map.of("app", "web"));
        var b = cluster.pod(ns, "web-b", "node-b", Map.of("app", "web"));
        CompletableFuture<Outcome> run = async("run", "runqlat", "-l", "app=web", "--duration", "4s", "--per-node", "--keep", "-n", ns);
        awaitRunningOn(2);
        Process pa = a.cgroup().start(Workloads.kgwork(), "sleep", "100", "1000");
        b.cgroup().run(Workloads.kgwork(), "sleep", "60", "1000");
        dev.kgadget.daemon.testing.TestCgroup.waitOk(pa, "node-a workload");
        Outcome o = run.get(60, TimeUnit.SECONDS);
        log("kubectl gadget run runqlat -l app=web --duration 4s --per-node --keep -n " + ns, o);
        assertThat(o.code()).as(o.err()).isZero();
        List<String> counts = o.out().lines().filter(l -> l.startsWith("count ")).toList();
        assertThat(counts).hasSize(3);
        long merged = count(counts.get(0));
        int at = o.out().indexOf("\nnode = node-a\n");
        int bt = o.out().indexOf("\nnode = node-b\n");
        assertThat(at).isPositive();
        assertThat(bt).isGreaterThan(at);
        // N sleeps: a few may never queue (woken before leaving the CPU, as with bcc's runqlat);
        // start-up and preemptions of the workload itself add some while two workloads share 2 CPUs
        assertThat(count(counts.get(1))).isBetween(97L, 120L);
        assertThat(count(counts.get(2))).isBetween(57L, 80L);
        assertThat(merged).isEqualTo(count(counts.get(1)) + count(counts.get(2)));

        String name = jobs().get(0).getMetadata().getName();
        Outcome results = cli("results", name, "--per-node", "-n", ns);
        assertThat(results.code()).as(results.err()).isZero();
        assertThat(results.out()).isEqualTo(o.out());
        Outcome notCounts = cli("results", name, "--per-node", "-o", "json", "-n", ns);
        assertThat(notCounts.code()).isEqualTo(2);
        assertThat(cli("delete", name, "-n", ns).code()).isZero();
    }

    private static long count(String statsLine) {
        return Long.parseLong(statsLine.split("\\s+")[1]);
    }

    @Test
    void ctrlCStopsTheRunDeletesTheJobAndDetachesTheBpfPrograms() throws Exception {
        cluster.pod(ns, "o-1", "node-a", Map.of("app", "o"));
        Process p = new ProcessBuilder(CliProcess.command(List.of(), List.of("-Dkgadget.mode=cluster"),
                "run", "opensnoop", "-l", "app=o", "-n", ns, "--duration", "10m", "--kubeconfig", kubeconfig.toString()))
                .start();
        var out = drain(p.getInputStream());
        var err = drain(p.getErrorStream());
        try {
            awaitRunningJob();
            await().atMost(Duration.ofSeconds(10)).until(() -> !LoadedPrograms.named("kg_open").isEmpty());
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            assertThat(kill.waitFor()).isZero();
            assertThat(p.waitFor(15, TimeUnit.SECONDS)).as("the CLI exits within 15 s of Ctrl-C").isTrue();
            Outcome o = new Outcome(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
            log("kubectl gadget run opensnoop -l app=o -n " + ns + " --duration 10m, then Ctrl-C", o);
            assertThat(o.code()).as(o.err()).isEqualTo(130);
            assertThat(o.err()).containsPattern("kgadget: interrupted; deleted tracejob opensnoop-\\w+");
            assertThat(o.out()).isEmpty();
            await().atMost(Duration.ofSeconds(10)).until(() -> jobs().isEmpty());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(LoadedPrograms.named("kg_")).isEmpty());
        } finally {
            p.destroyForcibly();
        }
    }

    private static CompletableFuture<String> drain(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "<unreadable: " + e + ">";
            }
        });
    }

    /** A session as the user would see it, in the test log (stderr, then stdout). */
    private static void log(String command, Outcome o) {
        System.out.println("$ " + command + "\n" + o.err() + o.out() + "[exit " + o.code() + "]");
    }

    @Test
    void detachThenResultsGetDescribeDelete() throws Exception {
        var pod = cluster.pod(ns, "d-1", "node-a", Map.of("app", "d", "tier", "web"));
        Outcome created = cli("run", "syscount", "-l", "app=d,tier!=db", "--duration", "2s", "--detach", "-n", ns);
        assertThat(created.code()).as(created.err()).isZero();
        String name = created.out().strip();
        assertThat(name).startsWith("syscount-");
        awaitRunningJob();
        pod.cgroup().run(Workloads.kgwork(), "getppid", "777");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            TraceJob j = client.resources(TraceJob.class).inNamespace(ns).withName(name).get();
            return j.getStatus() != null && j.getStatus().getPhase() != null && j.getStatus().getPhase().isFinal();
        });

        Outcome results = cli("results", name, "-n", ns);
        assertThat(results.code()).as(results.err()).isZero();
        assertThat(results.out()).containsPattern("(?m)^getppid\\s+777$");
        Outcome perNode = cli("results", name, "--node", "node-a", "-n", ns);
        assertThat(perNode.out()).containsPattern("(?m)^getppid\\s+777$");
        Outcome json = cli("results", name, "-n", ns, "-o", "json");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.get("job").asText()).isEqualTo(name);
        assertThat(doc.get("phase").asText()).isEqualTo("Succeeded");
        assertThat(doc.get("counts")).anySatisfy(c -> {
            assertThat(c.get("name").asText()).isEqualTo("getppid");
            assertThat(c.get("count").asLong()).isEqualTo(777);
        });
        Outcome yaml = cli("results", name, "-n", ns, "-o", "yaml");
        assertThat(yaml.out()).contains("job: " + name).contains("phase: Succeeded");

        Outcome get = cli("get", "-n", ns);
        assertThat(get.code()).isZero();
        assertThat(get.out().lines().toList().get(0)).matches("NAME\\s+GADGET\\s+PHASE\\s+NODES\\s+AGE");
        assertThat(get.out()).containsPattern(name + "\\s+syscount\\s+Succeeded\\s+1/1\\s+\\d+s");
        Outcome all = cli("get", "-A");
        assertThat(all.out().lines().toList().get(0)).startsWith("NAMESPACE");
        assertThat(all.out()).containsPattern(ns + "\\s+" + name);

        Outcome describe = cli("describe", name, "-n", ns);
        assertThat(describe.code()).isZero();
        assertThat(describe.out()).contains("Gadget:        syscount").contains("Selector:      app=d,tier notin (db)")
                .contains("Phase:         Succeeded").containsPattern("node-a\\s+d-1\\s+app\\s+containerd://")
                .containsPattern("node-a\\s+Succeeded").contains("Completed");

        Outcome delete = cli("delete", name, "-n", ns);
        assertThat(delete.code()).as(delete.err()).isZero();
        assertThat(delete.out()).contains("tracejob.kgadget.dev \"" + name + "\" deleted");
        Outcome gone = cli("get", name, "-n", ns);
        assertThat(gone.code()).isEqualTo(2);
        assertThat(gone.err()).isEqualTo("kgadget: tracejob '" + name + "' not found in namespace " + ns
                + " (see 'kubectl gadget get')\n");
    }

    @Test
    void aSelectorMatchingNoPodFailsWithNoTargetsAndExitCode5() {
        cluster.pod(ns, "p", "node-a", Map.of("app", "x"));
        Outcome o = cli("run", "execsnoop", "-l", "app=nobody", "--duration", "2s", "-n", ns);
        assertThat(o.code()).isEqualTo(5);
        assertThat(o.err()).containsPattern("kgadget: tracejob execsnoop-\\w+ Failed: NoTargets: no running container");
        assertThat(o.out()).isEmpty();
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs().isEmpty());
    }

    @Test
    void badInputIsRejectedBeforeAnythingIsCreated() {
        assertBad(cli("run", "biolatncy", "-n", ns), "kgadget: unknown gadget 'biolatncy'; did you mean biolatency?");
        assertBad(cli("run", "biolatency", "-p", "per-disk=maybe", "-n", ns), "kgadget: parameter per-disk: 'maybe' is not a boolean");
        assertBad(cli("run", "syscount", "-p", "tp=3", "-n", ns), "kgadget: gadget syscount has no parameter 'tp'");
        assertBad(cli("run", "syscount", "-l", "app in (a,b", "-n", ns), "kgadget: bad selector -l 'app in (a,b': unbalanced '('");
        assertBad(cli("run", "syscount", "-l", "app=x,,b", "-n", ns), "kgadget: bad selector -l 'app=x,,b'");
        assertBad(cli("run", "syscount", "--duration", "2h", "-n", ns), "kgadget: ");
        assertThat(jobs()).isEmpty();
    }

    @Test
    void noReachableClusterIsOneLineAndExitCode3() throws Exception {
        Path bad = Files.createTempFile(Path.of(System.getProperty("kgadget.testDir", "target")), "unreachable", ".yaml");
        try {
            Files.writeString(bad, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
                      name: c
                    contexts:
                    - context: {cluster: c, user: u}
                      name: x
                    current-context: x
                    users:
                    - name: u
                      user: {token: abc}
                    """);
            for (String[] args : List.of(new String[]{"get"}, new String[]{"run", "syscount", "-l", "app=x"})) {
                Outcome r = raw(Stream.concat(Stream.of(args), Stream.of("--kubeconfig", bad.toString())).toArray(String[]::new));
                assertThat(r.code()).isEqualTo(3);
                assertThat(r.err()).isEqualTo("kgadget: cannot reach the Kubernetes API at https://127.0.0.1:1/: "
                        + "connection refused (check --kubeconfig/--context, or that the cluster is up)\n");
            }
        } finally {
            Files.deleteIfExists(bad);
        }
    }

    @Test
    void runLocalInClusterModeRunsOnThisHost() {
        Outcome o = raw(new String[]{"run", "--local", "nosuch"});
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("run 'kgadget list'");
        Outcome help = raw(new String[]{"run", "--help"});
        assertThat(help.out()).contains("Usage: kubectl gadget run").contains("Examples:").contains("--detach");
    }

    // ---- helpers ----

    private void assertBad(Outcome o, String errStart) {
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(o.err()).startsWith(errStart);
        assertThat(o.err().lines()).hasSize(1);
    }

    private List<TraceJob> jobs() {
        return client.resources(TraceJob.class).inNamespace(ns).list().getItems();
    }

    private TraceJob awaitRunningJob() {
        return awaitRunningOn(1);
    }

    /** The job, once {@code nodes} nodes trace it (each daemon has attached). */
    private TraceJob awaitRunningOn(int nodes) {
        await().atMost(Duration.ofSeconds(20)).until(() -> jobs().stream().anyMatch(j -> j.getStatus() != null
                && j.getStatus().getNodes() != null && j.getStatus().getNodes().stream()
                .filter(e -> e.getPhase() == NodeTracePhase.Running).count() == nodes));
        return jobs().get(0);
    }

    private CompletableFuture<Outcome> async(String... args) {
        return CompletableFuture.supplyAsync(() -> cli(args));
    }

    private Outcome cli(String... args) {
        return raw(Stream.concat(Stream.of(args), Stream.of("--kubeconfig", kubeconfig.toString())).toArray(String[]::new));
    }

    private static Outcome raw(String[] args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env(out, err), true);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static CliEnvironment env(ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new CliEnvironment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, ZoneOffset.UTC,
                dev.kgadget.cli.GadgetLauncher.local(), new ExitGate());
    }
}
