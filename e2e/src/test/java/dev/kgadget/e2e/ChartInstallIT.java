package dev.kgadget.e2e;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;

import dev.kgadget.api.crd.NodeTracePhase;
import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.api.crd.TraceJobSpec;
import dev.kgadget.api.crd.TraceSchedule;
import dev.kgadget.api.crd.TraceScheduleSpec;
import dev.kgadget.daemon.testing.Workloads;
import dev.kgadget.operator.OperatorApp;
import dev.kgadget.operator.OperatorSettings;
import dev.kgadget.operator.testing.ApiServer;
import dev.kgadget.operator.testing.FakeCluster;
import dev.kgadget.operator.testing.MutableClock;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code helm install} of helm/ into a real kube-apiserver with nothing installed, and then the
 * operator and a node daemon running as the chart's ServiceAccounts (impersonated): a TraceJob
 * from the docs succeeds with exactly the permissions the chart grants.
 */
class ChartInstallIT {
    private static KubeAPIServer server;
    private static KubernetesClient admin;

    @BeforeAll
    static void install() {
        server = ApiServer.bare();
        admin = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
        Release release = new Helm(Chart.path()).install().withName("kgadget").withNamespace(Chart.NAMESPACE)
                .createNamespace().withKubeConfigContents(server.getKubeConfigYaml()).call();
        assertThat(release.getStatus()).isEqualTo("deployed");
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void everyObjectIsAcceptedAndTheCrdBecomesEstablished() {
        CustomResourceDefinition crd = await().atMost(Duration.ofSeconds(30)).until(
                () -> admin.apiextensions().v1().customResourceDefinitions().withName(TraceJob.CRD_NAME).get(),
                c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus()
                        .getConditions().stream().anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())));
        assertThat(crd.getSpec().getNames().getShortNames()).contains("tj");

        String ns = Chart.NAMESPACE;
        assertThat(admin.serviceAccounts().inNamespace(ns).withName("kgadget-operator").get()).isNotNull();
        assertThat(admin.serviceAccounts().inNamespace(ns).withName("kgadget-daemon").get()).isNotNull();
        assertThat(admin.apps().deployments().inNamespace(ns).withName("kgadget-operator").get()).isNotNull();
        assertThat(admin.apps().daemonSets().inNamespace(ns).withName("kgadget-daemon").get()).isNotNull();
        for (String role : List.of("kgadget-operator", "kgadget-daemon", "kgadget-edit", "kgadget-view")) {
            assertThat(admin.rbac().clusterRoles().withName(role).get()).as(role).isNotNull();
        }
        assertThat(admin.rbac().clusterRoleBindings().withName("kgadget-operator").get()).isNotNull();
        assertThat(admin.rbac().clusterRoleBindings().withName("kgadget-daemon").get()).isNotNull();
        assertThat(admin.rbac().roles().inNamespace(ns).withName("kgadget-operator").get()).isNotNull();
        assertThat(admin.rbac().roleBindings().inNamespace(ns).withName("kgadget-operator").get()).isNotNull();
        // every object Helm renders is in the server, as rendered (nothing dropped or rejected on the way in)
        var rendered = Chart.render(Map.of());
        assertThat(rendered).hasSize(13);
        for (var o : rendered) {
            var stored = admin.resource(o).get();
            assertThat(stored).as(o.getKind() + "/" + o.getMetadata().getName()).isNotNull();
            assertThat(stored.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "kgadget");
        }
    }

    @Test
    void theOperatorAndADaemonRunATraceJobWithOnlyTheChartsRbac() throws Exception {
        KubernetesClient operatorIdentity = as("kgadget-operator");
        KubernetesClient daemonIdentity = as("kgadget-daemon");
        FakeCluster cluster = new FakeCluster(admin, daemonIdentity);
        // leader election on, as the chart runs it: Lease and Secret creation go through RBAC too
        MutableClock clock = new MutableClock(java.time.Instant.now());
        OperatorApp operator = new OperatorApp(operatorIdentity, OperatorSettings.of(Chart.NAMESPACE).withLeaderElection(true)
                .withGrace(Duration.ofSeconds(3)).withClock(clock, Duration.ofMillis(300))).start();
        try {
            cluster.node("node-i", Map.of());
            cluster.startDaemon("node-i");
            cluster.namespace("shop");
            var pod = cluster.pod("shop", "checkout-0", "node-i", Map.of("app", "checkout"));

            TraceJob job;
            try (InputStream in = Files.newInputStream(Path.of(System.getProperty("kgadget.docs", "../docs"))
                    .resolve("examples/tracejob-execsnoop.yaml"))) {
                job = admin.resources(TraceJob.class).load(in).item();
            }
            TraceJob created = admin.resource(job).create();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                TraceJob t = admin.resource(created).get();
                return t.getStatus() != null && t.getStatus().getNodes() != null && t.getStatus().getNodes().stream()
                        .anyMatch(n -> n.getPhase() == NodeTracePhase.Running);
            });
            pod.cgroup().run(Workloads.kgwork(), "exec", "5", "/bin/true");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                TraceJob t = admin.resource(created).get();
                return t.getStatus().getPhase() != null && t.getStatus().getPhase().isFinal();
            });
            TraceJob done = admin.resource(created).get();
            assertThat(done.getStatus().getPhase()).as("%s", done.getStatus()).isEqualTo(TraceJobPhase.Succeeded);
            // kgwork's own exec and its 5 of /bin/true
            assertThat(done.getStatus().getResult().getEventCount()).isEqualTo(6);
            var cm = admin.configMaps().inNamespace("shop").withName(done.getStatus().getResultsConfigMap()).get();
            assertThat(cm.getData()).containsKeys("summary.json", "node.node-i.json");
            assertThat(cm.getData().get("node.node-i.json")).contains("\"pod\":\"checkout-0\"");

            // deleting it goes through the operator's finalizer, also under its RBAC
            admin.resource(done).delete();
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.resource(created).get() == null);

            // a schedule: its run created, finished, recorded in the trend, with Events (all under RBAC)
            TraceSchedule schedule = new TraceSchedule();
            schedule.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("hourly").withNamespace("shop").build());
            TraceScheduleSpec spec = new TraceScheduleSpec();
            spec.setSchedule("@hourly");
            TraceJobSpec template = done.getSpec();
            template.setDuration("1s");
            spec.setJobTemplate(template);
            schedule.setSpec(spec);
            TraceSchedule s = admin.resource(schedule).create();
            java.time.Instant due = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofHours(1));
            clock.set(due.plusSeconds(1));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                TraceSchedule now = admin.resource(s).get();
                return now.getStatus() != null && now.getStatus().getTrend() != null && now.getStatus().getTrend().size() == 1;
            });
            assertThat(admin.resource(s).get().getStatus().getTrend().get(0).getPhase()).isEqualTo(TraceJobPhase.Succeeded);
            assertThat(admin.v1().events().inNamespace("shop").list().getItems())
                    .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("SuccessfulCreate"));
        } finally {
            operator.close();
            cluster.close();
            operatorIdentity.close();
            daemonIdentity.close();
        }
    }

    /** A client that acts as the chart's ServiceAccount {@code name} (the admin impersonates it). */
    private static KubernetesClient as(String name) {
        Config c = Config.fromKubeconfig(server.getKubeConfigYaml());
        c.setImpersonateUsername("system:serviceaccount:" + Chart.NAMESPACE + ":" + name);
        c.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + Chart.NAMESPACE, "system:authenticated");
        return new KubernetesClientBuilder().withConfig(c).build();
    }
}
