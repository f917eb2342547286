package dev.kgadget.cli.cluster;

import dev.kgadget.api.crd.CountSummary;
import dev.kgadget.api.crd.MergedResult;
import dev.kgadget.api.crd.NodeStatusEntry;
import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.crd.TargetContainer;
import dev.kgadget.api.crd.TargetNode;
import dev.kgadget.api.crd.TargetPod;
import dev.kgadget.api.crd.TargetsStatus;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.api.crd.TraceJobSelector;
import dev.kgadget.api.crd.TraceJobSpec;
import dev.kgadget.api.crd.TraceJobStatus;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Golden tests of what kubectl gadget prints: get, describe, a cluster event table, a merged count table. */
class ClusterRenderTest {
    private static final Instant NOW = Instant.parse("2026-01-02T10:00:00Z");

    @Test
    void getTable() {
        TraceJob a = job("syscount-abcde", "shop", "syscount");
        TraceJob b = job("execsnoop-xyz12", "web", "execsnoop");
        b.getMetadata().setCreationTimestamp("2026-01-02T06:38:00Z");
        b.getStatus().setPhase(TraceJobPhase.Running);
        b.getStatus().setProgress("0/2");
        golden("cluster-get-all.txt", String.join("\n", JobTable.render(List.of(a, b), true, NOW)) + "\n");
        golden("cluster-get.txt", String.join("\n", JobTable.render(List.of(a), false, NOW)) + "\n");
    }

    @Test
    void ages() {
        assertThat(JobTable.human(java.time.Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(JobTable.human(java.time.Duration.ofSeconds(192))).isEqualTo("3m12s");
        assertThat(JobTable.human(java.time.Duration.ofMinutes(42))).isEqualTo("42m");
        assertThat(JobTable.human(java.time.Duration.ofMinutes(200))).isEqualTo("3h20m");
        assertThat(JobTable.human(java.time.Duration.ofHours(27))).isEqualTo("27h");
        assertThat(JobTable.human(java.time.Duration.ofHours(123))).isEqualTo("5d3h");
        assertThat(JobTable.human(java.time.Duration.ofDays(120))).isEqualTo("120d");
    }

    @Test
    void describe() {
        TraceJob j = job("syscount-abcde", "shop", "syscount");
        j.getStatus().getNodes().add(node("node-b", NodeTracePhase.Failed, "NoDaemon", "no kgadget daemon on node-b"));
        j.getStatus().setPhase(TraceJobPhase.PartiallySucceeded);
        j.getStatus().setProgress("2/2");
        j.getStatus().setConditions(List.of(new ConditionBuilder().withType("Completed").withStatus("True")
                .withReason("PartiallySucceeded").withMessage("node-b: NoDaemon").build()));
        golden("cluster-describe.txt", String.join("\n", JobDescription.render(j, NOW)) + "\n");
    }

    @Test
    void eventsOfEveryNodeWithWhereTheyHappened() {
        TraceJob j = job("execsnoop-abcde", "shop", "execsnoop");
        j.getStatus().getResult().setCounts(null);
        j.getStatus().getResult().setEventCount(3L);
        String a = "{\"node\":\"node-a\",\"events\":[{\"time\":\"2026-01-02T09:59:58.100Z\",\"comm\":\"true\",\"pid\":20,"
                + "\"ppid\":10,\"uid\":0,\"cgroupId\":4242,\"ret\":0,\"filename\":\"/bin/true\",\"args\":[\"/bin/true\"],"
                + "\"argsTruncated\":false},{\"time\":\"2026-01-02T09:59:58.300Z\",\"comm\":\"sh\",\"pid\":21,\"ppid\":10,"
                + "\"uid\":1000,\"cgroupId\":4242,\"ret\":-2,\"filename\":\"/nope\",\"args\":[\"/nope\",\"-x\"],\"argsTruncated\":false}]}";
        // node-b's daemon names each event's pod and container (node-a's, an older one, does not)
        String b = "{\"node\":\"node-b\",\"events\":[{\"namespace\":\"shop\",\"pod\":\"web-1\",\"container\":\"app\",\"time\":\"2026-01-02T09:59:58.200Z\",\"comm\":\"echo\",\"pid\":30,"
                + "\"ppid\":1,\"uid\":0,\"cgroupId\":5151,\"ret\":0,\"filename\":\"/bin/echo\",\"args\":[\"/bin/echo\",\"hi\"],"
                + "\"argsTruncated\":false}]}";
        var docs = JobResult.documents(Map.of(JobResult.key("node-a"), a, JobResult.key("node-b"), b,
                "summary.json", "{}"), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = JobReport.print(j, docs, null, OutputMode.TEXT, ZoneOffset.UTC, stream(out), stream(err));
        assertThat(code).isZero();
        golden("cluster-events-execsnoop.txt", out.toString(StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("events 3  lost 0  kernel 90 ns/event\n");
    }

    @Test
    void mergedCountsAndAFailedNodeOnStderr() {
        TraceJob j = job("syscount-abcde", "shop", "syscount");
        j.getStatus().getNodes().add(node("node-b", NodeTracePhase.TimedOut, "NoReport", "did not report in time"));
        j.getStatus().setPhase(TraceJobPhase.PartiallySucceeded);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = JobReport.print(j, List.of(), null, OutputMode.TEXT, ZoneOffset.UTC, stream(out), stream(err));
        assertThat(code).isEqualTo(4);
        golden("cluster-counts-syscount.txt", out.toString(StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "kgadget: tracejob syscount-abcde PartiallySucceeded: the result merges the nodes that finished\n"
                        + "kgadget:   node-b: TimedOut NoReport: did not report in time\n");
    }

    @Test
    void perNodeHistogramsFollowTheMergedOne() {
        TraceJob j = job("runqlat-abcde", "shop", "runqlat");
        j.getSpec().setParameters(null);
        NodeStatusEntry a = j.getStatus().getNodes().get(0);
        a.setCounts(null);
        a.setEvents(7L);
        a.setHistograms(List.of(dev.kgadget.api.crd.HistogramSummary.of(
                new dev.kgadget.api.result.Histogram("all", "usecs", new long[]{1, 0, 2, 3, 1}))));
        NodeStatusEntry b = node("node-b", NodeTracePhase.Succeeded, null, null);
        b.setCounts(null);
        b.setEvents(5L);
        b.setLostEvents(2L);
        b.setKernelNsPerEvent(120.0);
        b.setHistograms(List.of(dev.kgadget.api.crd.HistogramSummary.of(
                new dev.kgadget.api.result.Histogram("all", "usecs", new long[]{0, 1, 0, 0, 2, 2}))));
        j.getStatus().getNodes().add(b);
        // a failed node has no result: its reason goes to stderr, it gets no section
        j.getStatus().getNodes().add(node("node-c", NodeTracePhase.Failed, "NoDaemon", "no kgadget daemon on node-c"));
        j.getStatus().setResult(MergedResult.merge(List.of(a, b)));
        j.getStatus().setPhase(TraceJobPhase.PartiallySucceeded);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = JobReport.print(j, List.of(), null, true, OutputMode.TEXT, ZoneOffset.UTC, stream(out), stream(err));
        assertThat(code).isEqualTo(4);
        golden("cluster-per-node-runqlat.txt", out.toString(StandardCharsets.UTF_8));
        assertThat(err.toString(StandardCharsets.UTF_8)).endsWith("kgadget:   node-c: Failed NoDaemon: no kgadget daemon on node-c\n");
        // without --per-node: the merged histogram only, the same first lines
        ByteArrayOutputStream merged = new ByteArrayOutputStream();
        JobReport.print(j, List.of(), null, OutputMode.TEXT, ZoneOffset.UTC, stream(merged), stream(new ByteArrayOutputStream()));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith(merged.toString(StandardCharsets.UTF_8))
                .isNotEqualTo(merged.toString(StandardCharsets.UTF_8));
    }

    @Test
    void perNodeIsForHistogramsAsText() {
        JobReport.checkPerNode(false, "syscount", OutputMode.JSON, "node-a");
        JobReport.checkPerNode(true, "runqlat", OutputMode.TEXT, null);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> JobReport.checkPerNode(true, "syscount", OutputMode.TEXT, null)))
                .hasMessage("--per-node: syscount prints no histogram (--per-node is for histogram gadgets; --node NAME gives one node's result)");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> JobReport.checkPerNode(true, "runqlat", OutputMode.JSON, null)))
                .hasMessageStartingWith("--per-node is for text output");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> JobReport.checkPerNode(true, "runqlat", OutputMode.TEXT, "node-a")))
                .hasMessage("--per-node and --node exclude each other");
    }

    @Test
    void aFailedJobPrintsItsReasonsAndExits5() {
        TraceJob j = job("execsnoop-abcde", "shop", "execsnoop");
        j.getStatus().setNodes(null);
        j.getStatus().setPhase(TraceJobPhase.Failed);
        j.getStatus().setConditions(List.of(new ConditionBuilder().withType("Completed").withStatus("False")
                .withReason("NoTargets").withMessage("no running container of a pod in namespace shop matches").build()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(JobReport.print(j, List.of(), null, OutputMode.TEXT, ZoneOffset.UTC, stream(out), stream(err))).isEqualTo(5);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("kgadget: tracejob execsnoop-abcde Failed: NoTargets: "
                + "no running container of a pod in namespace shop matches\n");
    }

    @Test
    void progressLine() {
        TraceJob j = job("syscount-abcde", "shop", "syscount");
        j.getStatus().setPhase(TraceJobPhase.Running);
        j.getStatus().setProgress("0/2");
        j.getStatus().setStartTime("2026-01-02T09:59:57Z");
        assertThat(ClusterRunCommand.progressLine(j, java.time.Duration.ofSeconds(10), NOW))
                .isEqualTo("Running: 7s left, nodes 0/2 done, events 300");
        j.setStatus(null);
        assertThat(ClusterRunCommand.progressLine(j, java.time.Duration.ofSeconds(10), NOW))
                .isEqualTo("Pending: waiting for the kgadget operator");
    }

    // ---- fixtures ----

    private static TraceJob job(String name, String ns, String gadget) {
        TraceJob j = new TraceJob();
        j.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).withCreationTimestamp("2026-01-02T09:59:15Z").build());
        TraceJobSpec spec = new TraceJobSpec();
        spec.setGadget(gadget);
        spec.setDuration("10s");
        spec.setParameters(Map.of("top", "5"));
        TraceJobSelector sel = new TraceJobSelector();
        sel.setPodSelector(LabelSelectors.parse("app=shop,tier in (web,api)"));
        spec.setSelector(sel);
        j.setSpec(spec);
        TraceJobStatus st = new TraceJobStatus();
        st.setPhase(TraceJobPhase.Succeeded);
        st.setProgress("1/1");
        st.setStartTime("2026-01-02T09:59:16Z");
        st.setCompletionTime("2026-01-02T09:59:27Z");
        st.setResultsConfigMap(name + "-results");
        st.setTargets(new TargetsStatus(1, 1, List.of(new TargetNode("node-a", List.of(new TargetPod("shop-7d9f", "uid-1",
                List.of(new TargetContainer("app", "containerd://0123456789abcdef"))))))));
        NodeStatusEntry a = node("node-a", NodeTracePhase.Succeeded, null, null);
        st.setNodes(new java.util.ArrayList<>(List.of(a)));
        MergedResult m = MergedResult.merge(List.of(a));
        st.setResult(m);
        st.setConditions(List.of(new ConditionBuilder().withType("Completed").withStatus("True").withReason("Succeeded")
                .withMessage("1/1 nodes succeeded").build()));
        j.setStatus(st);
        return j;
    }

    private static NodeStatusEntry node(String name, NodeTracePhase phase, String reason, String message) {
        NodeStatusEntry e = new NodeStatusEntry();
        e.setNode(name);
        e.setPhase(phase);
        e.setReason(reason);
        e.setMessage(message);
        if (phase == NodeTracePhase.Succeeded) {
            e.setCgroupsMatched(1);
            e.setContainersUnresolved(0);
            e.setEvents(300L);
            e.setLostEvents(0L);
            e.setKernelNsPerEvent(90.4);
            e.setProgramRuns(1000L);
            e.setCounts(List.of(new CountSummary("getppid", null, 250L, null), new CountSummary("read", null, 50L, null)));
        }
        return e;
    }

    private static PrintStream stream(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    /** Compares with src/test/resources/golden/NAME; on a mismatch the actual text is left in target/golden-actual/. */
    private static void golden(String name, String actual) {
        String expected;
        try (InputStream in = ClusterRenderTest.class.getResourceAsStream("/golden/" + name)) {
            expected = in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!actual.equals(expected)) {
                Path dir = Path.of(System.getProperty("kgadget.testDir", "target"), "golden-actual");
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(name), actual);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(actual).as("golden %s", name).isEqualTo(expected);
    }
}
