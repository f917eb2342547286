package dev.kgadget.cli.it;

import dev.kgadget.operator.testing.ApiServer;
import dev.kgadget.operator.testing.FakeCluster;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user without access sees, from real API servers: a cluster without the TraceJob CRD,
 * a user RBAC does not allow, and kubectl itself discovering and running the plugin.
 */
class ClusterAccessIT {
    private static final Path DIR = Path.of(System.getProperty("kgadget.testDir", "target"));
    private static KubernetesClient client;
    private static Path adminConfig;
    private static String ns;

    @BeforeAll
    static void cluster() throws Exception {
        client = ApiServer.client();
        ns = FakeCluster.uniqueNamespace("access");
        new FakeCluster(client).namespace(ns);
        adminConfig = Files.createTempFile(DIR, "admin", ".kubeconfig");
        Files.writeString(adminConfig, ApiServer.kubeconfigYaml());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        Files.deleteIfExists(adminConfig);
    }

    @Test
    void withoutTheCrdEveryCommandSaysHowToInstallIt() throws Exception {
        KubeAPIServer bare = ApiServer.bare();
        Path config = Files.createTempFile(DIR, "bare", ".kubeconfig");
        try {
            Files.writeString(config, bare.getKubeConfigYaml());
            for (String[] args : List.of(new String[]{"run", "syscount", "--duration", "2s"}, new String[]{"get"},
                    new String[]{"results", "syscount-x"})) {
                CliProcess.Outcome o = kubectlGadget(config, args);
                assertThat(o.exit()).as(String.join(" ", args) + ": " + o.err()).isEqualTo(3);
                assertThat(o.err()).isEqualTo("kgadget: the TraceJob CRD is not installed in this cluster (no resource "
                        + "tracejobs.kgadget.dev); install it with: kubectl apply -f crds/\n");
                assertThat(o.out()).isEmpty();
            }
        } finally {
            bare.stop();
            Files.deleteIfExists(config);
        }
    }

    @Test
    void aUserRbacDoesNotAllowIsToldTheVerbAndResource() throws Exception {
        client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata()
                .withName("reader").endMetadata().build()).create();
        // may read tracejobs in ns, nothing else
        client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("tracejob-reader")
                .endMetadata().addNewRule().withApiGroups("kgadget.dev").withResources("tracejobs")
                .withVerbs("get", "list", "watch").endRule().build()).create();
        client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
                .withName("reader").endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                .withKind("Role").withName("tracejob-reader").endRoleRef().addNewSubject().withKind("ServiceAccount")
                .withName("reader").withNamespace(ns).endSubject().build()).create();
        String token = client.serviceAccounts().inNamespace(ns).withName("reader").tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        Path config = Files.createTempFile(DIR, "reader", ".kubeconfig");
        try {
            Files.writeString(config, tokenKubeconfig(token, ns));
            String user = "User \"system:serviceaccount:" + ns + ":reader\"";

            CliProcess.Outcome run = kubectlGadget(config, "run", "syscount", "--duration", "2s");
            assertThat(run.exit()).as(run.err()).isEqualTo(3);
            assertThat(run.err()).isEqualTo("kgadget: forbidden: " + user + " may not create tracejobs.kgadget.dev in namespace "
                    + ns + "; ask for an RBAC Role that allows 'create' on tracejobs.kgadget.dev\n");

            CliProcess.Outcome all = kubectlGadget(config, "get", "-A");
            assertThat(all.exit()).as(all.err()).isEqualTo(3);
            assertThat(all.err()).isEqualTo("kgadget: forbidden: " + user + " may not list tracejobs.kgadget.dev (cluster-wide)"
                    + "; ask for an RBAC Role that allows 'list' on tracejobs.kgadget.dev\n");

            // what the Role allows works: its own namespace (the context's, no -n)
            CliProcess.Outcome get = kubectlGadget(config, "get");
            assertThat(get.exit()).as(get.err()).isZero();
            assertThat(get.err()).isEqualTo("No tracejobs found in " + ns + " namespace.\n");
        } finally {
            Files.deleteIfExists(config);
        }
    }

    @Test
    void kubectlFindsThePluginOnPathAndRunsIt() throws Exception {
        Path kubectl = ApiServer.kubectl();
        CliProcess.Outcome list = kubectl(kubectl, "plugin", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(repo().resolve("kubectl-gadget").toString());

        CliProcess.Outcome catalog = kubectl(kubectl, "gadget", "list");
        assertThat(catalog.exit()).as(catalog.err()).isZero();
        assertThat(catalog.out()).contains("biolatency").contains("execsnoop").contains("syscount");

        CliProcess.Outcome get = kubectl(kubectl, "gadget", "get", "-n", ns, "--kubeconfig", adminConfig.toString());
        assertThat(get.exit()).as(get.err()).isZero();
        assertThat(get.err()).isEqualTo("No tracejobs found in " + ns + " namespace.\n");
    }

    /** The repository root: where the kubectl-gadget launcher is. */
    private static Path repo() {
        return Path.of(System.getProperty("kgadget.jar")).toAbsolutePath().getParent().getParent().getParent();
    }

    /** kubectl with only the repository, java and the system on PATH, so it finds our plugin and nothing else of ours. */
    private static CliProcess.Outcome kubectl(Path kubectl, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(kubectl.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("PATH", repo() + ":" + Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        env.put("KGADGET_JAR", Path.of(System.getProperty("kgadget.jar")).toAbsolutePath().toString());
        env.put("KUBECONFIG", DIR.resolve("no-such-kubeconfig").toAbsolutePath().toString());
        return CliProcess.finish(pb.start());
    }

    /** The packaged CLI as the kubectl-gadget launcher runs it, against {@code kubeconfig}. */
    private static CliProcess.Outcome kubectlGadget(Path kubeconfig, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        return CliProcess.finish(new ProcessBuilder(CliProcess.command(List.of(), List.of("-Dkgadget.mode=cluster"),
                all.toArray(String[]::new))).start());
    }

    /** A kubeconfig for the shared API server that authenticates with a bearer token, namespace {@code namespace}. */
    private static String tokenKubeconfig(String token, String namespace) {
        Config admin = Config.fromKubeconfig(ApiServer.kubeconfigYaml());
        String ca = admin.getCaCertFile() != null ? "    certificate-authority: " + admin.getCaCertFile()
                : "    certificate-authority-data: " + admin.getCaCertData();
        return String.join("\n",
                "apiVersion: v1", "kind: Config",
                "clusters:", "- name: test", "  cluster:", "    server: " + admin.getMasterUrl(), ca,
                "users:", "- name: reader", "  user:", "    token: " + token,
                "contexts:", "- name: reader", "  context:", "    cluster: test", "    user: reader", "    namespace: " + namespace,
                "current-context: reader", "");
    }
}
