package dev.kgadget.api.crd;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TraceJobSerializationTest {
    private final KubernetesSerialization json = new KubernetesSerialization();

    @Test
    void aTraceJobAsUsersWriteIt() {
        TraceJob job = json.unmarshal("""
                apiVersion: kgadget.dev/v1alpha1
                kind: TraceJob
                metadata:
                  name: slow-disks
                  namespace: shop
                spec:
                  gadget: biolatency
                  selector:
                    podSelector:
                      matchLabels: {app: db}
                      matchExpressions:
                      - {key: tier, operator: In, values: [backend]}
                    containerName: postgres
                  duration: 1m30s
                  parameters:
                    per-disk: "true"
                """, TraceJob.class);
        assertThat(job.getApiVersion()).isEqualTo("kgadget.dev/v1alpha1");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("shop");
        TraceJobSpec spec = job.getSpec();
        assertThat(spec.getGadget()).isEqualTo("biolatency");
        assertThat(spec.getSelector().getPodSelector().getMatchLabels()).containsExactly(Map.entry("app", "db"));
        assertThat(spec.getSelector().getPodSelector().getMatchExpressions().get(0).getValues()).containsExactly("backend");
        assertThat(spec.getSelector().getContainerName()).isEqualTo("postgres");
        assertThat(spec.getSelector().getNodeName()).isNull();
        assertThat(spec.traceDuration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(spec.parametersOrEmpty()).containsExactly(Map.entry("per-disk", "true"));
        assertThat(spec.maxEventsOrDefault()).isEqualTo(1000);
        assertThat(job.getStatus()).isNull();
    }

    @Test
    void newTraceJobKnowsItsApiVersionAndKind() {
        TraceJob job = new TraceJob();
        assertThat(job.getApiVersion()).isEqualTo("kgadget.dev/v1alpha1");
        assertThat(job.getKind()).isEqualTo("TraceJob");
        assertThat(job.getPlural()).isEqualTo("tracejobs");
    }

    @Test
    void everyFieldRoundTrips() {
        TraceJob job = new TraceJob();
        job.setMetadata(new ObjectMetaBuilder().withName("j").withNamespace("ns").withUid("u-1").build());
        TraceJobSpec spec = new TraceJobSpec();
        spec.setGadget("syscount");
        TraceJobSelector selector = new TraceJobSelector();
        selector.setPodSelector(new LabelSelectorBuilder().addToMatchLabels("app", "web").build());
        selector.setNodeName("node-a");
        selector.setNodeSelector(Map.of("zone", "a"));
        selector.setContainerName("app");
        spec.setSelector(selector);
        spec.setDuration("2m");
        spec.setParameters(Map.of("top", "5", "latency", "true"));
        spec.setOutput(new TraceJobOutput(10));
        job.setSpec(spec);

        TraceJobStatus status = new TraceJobStatus();
        status.setPhase(TraceJobPhase.PartiallySucceeded);
        status.setConditions(List.of(new ConditionBuilder().withType("Complete").withStatus("True")
                .withReason("NodeFailed").withLastTransitionTime("2026-01-01T00:00:02Z").build()));
        status.setObservedGeneration(3L);
        status.setStartTime("2026-01-01T00:00:00Z");
        status.setCompletionTime("2026-01-01T00:02:01Z");
        status.setProgress(TraceJobStatus.progress(2, 2));
        status.setTargets(new TargetsStatus(1, 1, List.of(new TargetNode("node-a", List.of(
                new TargetPod("web-0", "pod-uid", List.of(new TargetContainer("app", "containerd://abc"))))))));
        NodeStatusEntry a = new NodeStatusEntry("node-a");
        a.setPhase(NodeTracePhase.Succeeded);
        a.setCgroupsMatched(1);
        a.setContainersUnresolved(0);
        a.setEvents(7L);
        a.setLostEvents(0L);
        a.setKernelNsPerEvent(56.5);
        a.setProgramRuns(70L);
        a.setCounts(List.of(new CountSummary("read", null, 7L, 700L)));
        a.setStartedAt("2026-01-01T00:00:00Z");
        a.setFinishedAt("2026-01-01T00:02:00Z");
        NodeStatusEntry b = new NodeStatusEntry("node-b");
        b.setPhase(NodeTracePhase.TimedOut);
        b.setReason("NoReport");
        b.setMessage("the daemon did not report before the deadline");
        status.setNodes(List.of(a, b));
        status.setResult(MergedResult.merge(List.of(a)));
        status.setResultsConfigMap("j-results");
        job.setStatus(status);

        TraceJob back = json.unmarshal(json.asYaml(job), TraceJob.class);
        assertThat(back.getSpec()).isEqualTo(spec);
        assertThat(back.getStatus()).isEqualTo(status);
        assertThat(back.getMetadata()).isEqualTo(job.getMetadata());
    }

    @Test
    void aNodeDaemonsApplyCarriesOnlyItsOwnEntry() {
        // what a daemon server-side-applies: nothing but its nodes[] entry, so it owns nothing else
        NodeStatusEntry mine = new NodeStatusEntry("node-a");
        mine.setPhase(NodeTracePhase.Running);
        mine.setCgroupsMatched(2);
        TraceJobStatus status = new TraceJobStatus();
        status.setNodes(List.of(mine));
        assertThat(json.asJson(status))
                .isEqualTo("{\"nodes\":[{\"node\":\"node-a\",\"phase\":\"Running\",\"cgroupsMatched\":2}]}");
    }

    @Test
    void phasesAreWrittenAsTheirApiNames() {
        TraceJobStatus status = new TraceJobStatus();
        status.setPhase(TraceJobPhase.PartiallySucceeded);
        assertThat(json.asJson(status)).isEqualTo("{\"phase\":\"PartiallySucceeded\"}");
        assertThat(TraceJobPhase.PartiallySucceeded.isFinal()).isTrue();
        assertThat(TraceJobPhase.Running.isFinal()).isFalse();
        assertThat(NodeTracePhase.TimedOut.isFinal()).isTrue();
        assertThat(NodeTracePhase.Pending.isFinal()).isFalse();
    }
}
