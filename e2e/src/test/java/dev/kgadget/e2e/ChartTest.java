package dev.kgadget.e2e;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** helm lint and helm template of helm/ with default and non-default values, asserting the rendered objects. */
class ChartTest {

    @Test
    void lintsClean() {
        LintResult lint = new Helm(Chart.path()).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void shipsTheSameCrdBytesAsCrds() throws Exception {
        Path crds = Path.of(System.getProperty("kgadget.crds", "../crds"));
        try (var files = Files.list(crds)) {
            List<Path> yamls = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
            assertThat(yamls).isNotEmpty();
            for (Path f : yamls) {
                Path inChart = Chart.path().resolve("crds").resolve(f.getFileName());
                assertThat(inChart).as("regenerate with: mvn -B -pl api -am process-classes -Dkgadget.updateCrds").exists();
                assertThat(Files.readAllBytes(inChart)).isEqualTo(Files.readAllBytes(f));
            }
        }
        try (var files = Files.list(Chart.path().resolve("crds"))) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .isEqualTo(Files.list(crds).map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList());
        }
    }

    @Test
    void theDaemonRunsOnEveryNodeWithOnlyTheCapabilitiesEbpfTracingNeeds() {
        DaemonSet ds = Chart.one(Chart.render(Map.of()), DaemonSet.class, "kgadget-daemon");
        var pod = ds.getSpec().getTemplate().getSpec();
        assertThat(pod.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
            assertThat(t.getEffect()).isNull();
        });
        assertThat(pod.getHostPID()).isFalse();
        assertThat(pod.getHostNetwork()).isFalse();
        assertThat(pod.getServiceAccountName()).isEqualTo("kgadget-daemon");
        Container c = pod.getContainers().get(0);
        var sc = c.getSecurityContext();
        assertThat(sc.getPrivileged()).isNull();
        assertThat(sc.getCapabilities().getAdd()).containsExactly("BPF", "PERFMON");
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getRunAsUser()).isZero();
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

        Map<String, String> hostPaths = pod.getVolumes().stream().filter(v -> v.getHostPath() != null)
                .collect(Collectors.toMap(Volume::getName, v -> v.getHostPath().getPath()));
        assertThat(hostPaths).containsExactlyInAnyOrderEntriesOf(Map.of("cgroup", "/sys/fs/cgroup",
                "btf", "/sys/kernel/btf", "tracefs", "/sys/kernel/tracing", "proc", "/proc"));
        Map<String, VolumeMount> mounts = c.getVolumeMounts().stream().collect(Collectors.toMap(VolumeMount::getName, m -> m));
        assertThat(mounts.get("cgroup").getMountPath()).isEqualTo("/host/sys/fs/cgroup");
        assertThat(mounts.get("proc").getMountPath()).isEqualTo("/host/proc");
        assertThat(mounts.get("btf").getMountPath()).isEqualTo("/sys/kernel/btf");
        assertThat(mounts.get("tls").getMountPath()).isEqualTo("/etc/kgadget/tls");
        assertThat(mounts.values()).filteredOn(m -> !m.getName().equals("tmp")).allSatisfy(m ->
                assertThat(m.getReadOnly()).as(m.getName()).isTrue());
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("tls")).singleElement()
                .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("kgadget-daemon-tls"));

        assertThat(c.getArgs()).contains("--cgroup-root=/host/sys/fs/cgroup", "--btf=/sys/kernel/btf/vmlinux",
                "--tls-dir=/etc/kgadget/tls", "--grpc-port=7701", "--health-port=8081");
        assertThat(c.getEnv()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("NODE_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
        });
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
        assertThat(ds.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "kgadget-daemon");
        assertThat(ds.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("kgadget.dev/grpc-port", "7701");
        assertThat(c.getImage()).isEqualTo("kgadget/daemon:0.1.0");
    }

    @Test
    void theOperatorRunsUnprivilegedWithTheAdminsPolicy() {
        Deployment d = Chart.one(Chart.render(Map.of()), Deployment.class, "kgadget-operator");
        var pod = d.getSpec().getTemplate().getSpec();
        Container c = pod.getContainers().get(0);
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getArgs()).containsExactly("--daemon-namespace=kgadget-system", "--grace=10s", "--max-duration=1h",
                "--leader-election=true", "--health-port=8081", "--metrics-port=8080");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(d.getSpec().getReplicas()).isEqualTo(1);

        Deployment custom = Chart.one(Chart.render(Map.of("policy.maxDuration", "5m", "operator.replicas", 2,
                "images.operator.repository", "registry.example/kgadget-operator", "images.operator.tag", "1.2.3"),
                "policy: {allowedGadgets: [biolatency, runqlat]}\noperator: {watchNamespaces: [shop, db]}\n"),
                Deployment.class, "kgadget-operator");
        Container cc = custom.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(cc.getArgs()).containsExactly("--daemon-namespace=kgadget-system", "--grace=10s", "--max-duration=5m",
                "--allowed-gadgets=biolatency,runqlat", "--namespace=shop,db", "--leader-election=true", "--health-port=8081",
                "--metrics-port=8080");
        assertThat(custom.getSpec().getReplicas()).isEqualTo(2);
        assertThat(cc.getImage()).isEqualTo("registry.example/kgadget-operator:1.2.3");
    }

    @Test
    void kernelCostStatisticsAddSysAdminOnlyWhenAsked() {
        DaemonSet ds = Chart.one(Chart.render(Map.of("daemon.kernelCostStats", true)), DaemonSet.class, "kgadget-daemon");
        assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext().getCapabilities()
                .getAdd()).containsExactly("BPF", "PERFMON", "SYS_ADMIN");
        assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> {
                    assertThat(e.getName()).isEqualTo("KGADGET_KERNEL_COST_STATS");
                    assertThat(e.getValue()).isEqualTo("true");
                });
        DaemonSet plain = Chart.one(Chart.render(Map.of()), DaemonSet.class, "kgadget-daemon");
        assertThat(plain.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .noneSatisfy(e -> assertThat(e.getName()).isEqualTo("KGADGET_KERNEL_COST_STATS"));
    }

    @Test
    void privilegedIsTheFallbackForOldKernels() {
        DaemonSet ds = Chart.one(Chart.render(Map.of("daemon.privileged", true)), DaemonSet.class, "kgadget-daemon");
        var sc = ds.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext();
        assertThat(sc.getPrivileged()).isTrue();
        assertThat(sc.getCapabilities()).isNull();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    }

    @Test
    void rbacGrantsEachComponentOnlyWhatItUses() {
        List<HasMetadata> objects = Chart.render(Map.of());
        assertThat(rules(Chart.one(objects, ClusterRole.class, "kgadget-operator").getRules())).containsExactly(
                "kgadget.dev tracejobs [get, list, watch, create, patch, update, delete]",
                "kgadget.dev tracejobs/status,traceschedules/status [patch]",
                "kgadget.dev traceschedules [get, list, watch]",
                "kgadget.dev tracejobs/finalizers,traceschedules/finalizers [update]",
                " pods,nodes [get, list, watch]",
                " configmaps [get, create, patch, delete]",
                " events [create]");
        assertThat(rules(Chart.one(objects, Role.class, "kgadget-operator").getRules())).containsExactly(
                " secrets{kgadget-daemon-tls,kgadget-client-tls} [get]",
                " secrets [create]",
                "coordination.k8s.io leases [create]",
                "coordination.k8s.io leases{kgadget-operator} [get, update, patch]");
        assertThat(Chart.one(objects, Role.class, "kgadget-operator").getMetadata().getNamespace()).isEqualTo("kgadget-system");
        assertThat(rules(Chart.one(objects, ClusterRole.class, "kgadget-daemon").getRules())).containsExactly(
                "kgadget.dev tracejobs/status [patch]",
                " configmaps [get, patch]");
        assertThat(rules(Chart.one(objects, ClusterRole.class, "kgadget-edit").getRules())).containsExactly(
                "kgadget.dev tracejobs [get, list, watch, create, delete]",
                "kgadget.dev traceschedules [get, list, watch, create, update, patch, delete]");
        assertThat(Chart.one(objects, ClusterRole.class, "kgadget-edit").getMetadata().getLabels())
                .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true");

        // with user-supplied Secrets and a single replica, neither creating Secrets nor Leases is allowed
        List<HasMetadata> strict = Chart.render(Map.of("tls.useExistingSecrets", true, "operator.leaderElection", false));
        assertThat(rules(Chart.one(strict, Role.class, "kgadget-operator").getRules())).containsExactly(
                " secrets{kgadget-daemon-tls,kgadget-client-tls} [get]");
        assertThat(Chart.one(strict, Deployment.class, "kgadget-operator").getSpec().getTemplate().getSpec()
                .getContainers().get(0).getArgs()).contains("--leader-election=false");
    }

    @Test
    void theGrafanaDashboardPlotsOnlyMetricsTheOperatorServes() throws Exception {
        assertThat(Chart.render(Map.of())).noneMatch(o -> o instanceof ConfigMap);
        ConfigMap cm = Chart.one(Chart.render(Map.of("grafanaDashboard.enabled", true)), ConfigMap.class,
                "kgadget-grafana-dashboard");
        assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        var dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cm.getData().get("kgadget.json"));
        assertThat(dashboard.get("panels")).hasSize(9);
        java.util.Set<String> served = new java.util.HashSet<>(dev.kgadget.operator.ScheduleMetrics.NAMES);
        served.addAll(dev.kgadget.operator.MetricsServer.NAMES);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("kgadget_[a-z_]+").matcher(cm.getData().get("kgadget.json"));
        int uses = 0;
        while (m.find()) {
            String family = m.group().replaceAll("_(bucket|total|count|sum)$", "");
            assertThat(served).as("the dashboard's %s", m.group()).contains(family);
            uses++;
        }
        assertThat(uses).isGreaterThanOrEqualTo(9);
    }

    @Test
    void theOperatorsMetricsHaveAService() {
        var svc = Chart.one(Chart.render(Map.of()), io.fabric8.kubernetes.api.model.Service.class, "kgadget-operator-metrics");
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
        assertThat(svc.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "true");
        assertThat(svc.getSpec().getSelector()).containsEntry("app.kubernetes.io/name", "kgadget-operator");
    }

    /** "group resources{names} [verbs]" per rule, in order. */
    private static List<String> rules(List<PolicyRule> rules) {
        return rules.stream().map(r -> String.join(",", r.getApiGroups()) + " " + String.join(",", r.getResources())
                + (r.getResourceNames() == null || r.getResourceNames().isEmpty() ? "" : "{" + String.join(",", r.getResourceNames()) + "}")
                + " " + r.getVerbs()).toList();
    }
}
