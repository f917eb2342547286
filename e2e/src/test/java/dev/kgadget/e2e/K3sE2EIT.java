package dev.kgadget.e2e;

import com.marcnuri.helm.Helm;

import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole thing on a real cluster: k3s in Docker, the images this build made loaded into its
 * containerd, {@code helm install}, the TraceJob example from docs/ applied, Succeeded, results
 * read. Needs a Docker engine: where there is none (as on the build machines here) JUnit
 * reports it skipped ("Docker is not available"); everything short of a kubelet is covered
 * by ChartInstallIT and ImagesIT, which run everywhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sE2EIT {
    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));

    @Test
    void helmInstallThenTheDocsExampleSucceedsWithTheCheckoutPodsExecs() throws Exception {
        load(Path.of(System.getProperty("kgadget.operatorImage")));
        load(Path.of(System.getProperty("kgadget.daemonImage")));
        new Helm(Chart.path()).install().withName("kgadget").withNamespace(Chart.NAMESPACE).createNamespace()
                .set("images.operator.pullPolicy", "Never").set("images.daemon.pullPolicy", "Never")
                .withKubeConfigContents(K3S.getKubeConfigYaml()).call();
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build()) {
            client.apps().deployments().inNamespace(Chart.NAMESPACE).withName("kgadget-operator")
                    .waitUntilReady(3, TimeUnit.MINUTES);
            await().atMost(Duration.ofMinutes(3)).until(() -> {
                var ds = client.apps().daemonSets().inNamespace(Chart.NAMESPACE).withName("kgadget-daemon").get();
                return ds.getStatus() != null && ds.getStatus().getNumberReady() != null
                        && ds.getStatus().getNumberReady() >= 1;
            });

            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("shop").endMetadata().build())
                    .serverSideApply();
            client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder()
                    .withNewMetadata().withName("checkout").endMetadata()
                    .withNewSpec().withNewSelector().withMatchLabels(Map.of("app", "checkout")).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "checkout")).endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("busybox:1.36")
                    .withCommand("sh", "-c", "while true; do /bin/true; sleep 0.2; done").endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
            client.apps().deployments().inNamespace("shop").withName("checkout").waitUntilReady(3, TimeUnit.MINUTES);

            TraceJob job;
            try (InputStream in = Files.newInputStream(Path.of(System.getProperty("kgadget.docs", "../docs"))
                    .resolve("examples/tracejob-execsnoop.yaml"))) {
                job = client.resources(TraceJob.class).load(in).item();
            }
            TraceJob created = client.resource(job).create();
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                TraceJob t = client.resource(created).get();
                return t.getStatus() != null && t.getStatus().getPhase() != null && t.getStatus().getPhase().isFinal();
            });
            TraceJob done = client.resource(created).get();
            assertThat(done.getStatus().getPhase()).as("%s", done.getStatus()).isEqualTo(TraceJobPhase.Succeeded);
            // 10 s of an exec every ~200 ms
            assertThat(done.getStatus().getResult().getEventCount()).isBetween(20L, 60L);
            var cm = client.configMaps().inNamespace("shop").withName(done.getStatus().getResultsConfigMap()).get();
            assertThat(cm.getData().keySet()).anyMatch(k -> k.startsWith("node.")).contains("summary.json");
        }
    }

    private static void load(Path image) throws Exception {
        assertThat(image).as("built by the package phase").exists();
        String inside = "/tmp/" + image.getParent().getParent().getFileName() + ".tar";
        K3S.copyFileToContainer(MountableFile.forHostPath(image), inside);
        ExecResult r = K3S.execInContainer("ctr", "-n", "k8s.io", "images", "import", inside);
        assertThat(r.getExitCode()).as(r.getStderr()).isZero();
    }
}
