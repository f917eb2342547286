package dev.kgadget.operator.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One real kube-apiserver + etcd for the whole test JVM (kube-api-test, offline: the
 * binaries come from hack/kube-apiserver-binaries.sh), with kgadget's CRDs from crds/
 * installed and Established. Missing binaries fail the tests loudly; nothing is skipped.
 */
public final class ApiServer {
    private static KubeAPIServer server;
    private static KubernetesClient client;

    private ApiServer() {
    }

    public static synchronized KubernetesClient client() {
        if (client == null) {
            start();
        }
        return client;
    }

    /** A kubeconfig for the server, for processes started by tests. */
    public static String kubeconfigYaml() {
        client();
        return server.getKubeConfigYaml();
    }

    /** A fresh client of the same server (e.g. for a second operator instance). */
    public static KubernetesClient newClient() {
        client();
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
    }

    /**
     * Another kube-apiserver + etcd with nothing installed (no kgadget CRDs), for what a user
     * sees on a cluster without kgadget. The caller stops it.
     */
    public static KubeAPIServer bare() {
        KubeAPIServer bare = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withOfflineMode(true).build());
        bare.start();
        return bare;
    }

    /** The kubectl that came with the API server binaries (hack/kube-apiserver-binaries.sh). */
    public static Path kubectl() {
        Path k8s = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s");
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(k8s)) {
            for (Path v : versions) {
                if (Files.isExecutable(v.resolve("kubectl"))) {
                    return v.resolve("kubectl");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("no kubectl under " + k8s + " (run hack/kube-apiserver-binaries.sh)", e);
        }
        throw new IllegalStateException("no kubectl under " + k8s + " (run hack/kube-apiserver-binaries.sh)");
    }

    private static void start() {
        try {
            server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withOfflineMode(true).build());
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start kube-apiserver (run hack/kube-apiserver-binaries.sh first): "
                    + e.getMessage(), e);
        }
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(server.getKubeConfigYaml())).build();
        installCrds();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.close();
            server.stop();
        }, "kube-apiserver-stop"));
    }

    private static void installCrds() {
        Path crds = Path.of(System.getProperty("kgadget.crds", "../crds"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(crds, "*.yml")) {
            for (Path f : files) {
                CustomResourceDefinition crd;
                try (InputStream in = Files.newInputStream(f)) {
                    crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
                }
                client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
                client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                        .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                                && c.getStatus().getConditions().stream().anyMatch(
                                        x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                                30, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CRDs in " + crds.toAbsolutePath(), e);
        }
    }
}
