package dev.kgadget.daemon.status;

import dev.kgadget.daemon.testing.FakeApiServer;
import dev.kgadget.daemon.testing.FakeApiServer.Answer;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KubeApi} as a pod uses it (the ServiceAccount's CA and rotating token), against an HTTPS
 * stand-in that records each request; the calls against a real kube-apiserver run in the
 * operator's and e2e integration tests (every daemon there writes through it).
 */
class KubeApiTest {
    @Test
    void anApplyIsAForcedServerSideApplyPatchWithTheServiceAccountsToken() throws Exception {
        try (FakeApiServer fake = FakeApiServer.start(r -> new Answer(200, "{}"))) {
            Path sa = fake.writeServiceAccount(Files.createTempDirectory("sa"), "tok-1");
            KubeApi api = KubeApi.inCluster(fake.uri(), sa);

            api.apply("/apis/kgadget.dev/v1alpha1/namespaces/ns/tracejobs/j/status", "kgadget-daemon-n 1",
                    Map.of("kind", "TraceJob"));
            Files.writeString(sa.resolve("token"), "tok-2"); // the kubelet rotated it
            api.apply("/api/v1/namespaces/ns/configmaps/c", "m", Map.of("kind", "ConfigMap"));

            List<FakeApiServer.Request> seen = fake.requests();
            assertThat(seen).hasSize(2);
            FakeApiServer.Request first = seen.get(0);
            assertThat(first.method()).isEqualTo("PATCH");
            assertThat(first.path()).isEqualTo("/apis/kgadget.dev/v1alpha1/namespaces/ns/tracejobs/j/status");
            assertThat(first.query()).isEqualTo("fieldManager=kgadget-daemon-n+1&force=true");
            assertThat(first.header("Content-Type")).isEqualTo("application/apply-patch+yaml");
            assertThat(first.header("Authorization")).isEqualTo("Bearer tok-1");
            assertThat(first.body()).isEqualTo("{\"kind\":\"TraceJob\"}");
            assertThat(seen.get(1).header("Authorization")).isEqualTo("Bearer tok-2");
            assertThat(seen.get(1).path()).isEqualTo("/api/v1/namespaces/ns/configmaps/c");
        }
    }

    @Test
    void aGetGivesTheObjectOrNullWhenThereIsNone() throws Exception {
        try (FakeApiServer fake = FakeApiServer.start(r -> r.path().endsWith("/there")
                ? new Answer(200, "{\"metadata\":{\"uid\":\"u-7\"}}")
                : new Answer(404, "{\"kind\":\"Status\",\"code\":404}"))) {
            KubeApi api = KubeApi.inCluster(fake.uri(), fake.writeServiceAccount(Files.createTempDirectory("sa"), "t"));

            Object there = api.get("/api/v1/namespaces/ns/configmaps/there");
            assertThat(JsonTree.text(there, "metadata", "uid")).isEqualTo("u-7");
            assertThat(api.get("/api/v1/namespaces/ns/configmaps/gone")).isNull();
            assertThat(fake.requests()).extracting(FakeApiServer.Request::method).containsExactly("GET", "GET");
        }
    }

    @Test
    void aRefusalCarriesTheCodeAndTheApiServersMessage() throws Exception {
        try (FakeApiServer fake = FakeApiServer.start(r -> new Answer(403, "{\"kind\":\"Status\",\"message\":"
                + "\"configmaps \\\"c\\\" is forbidden: User \\\"x\\\" cannot patch\",\"code\":403}"))) {
            KubeApi api = KubeApi.inCluster(fake.uri(), fake.writeServiceAccount(Files.createTempDirectory("sa"), "t"));

            assertThatThrownBy(() -> api.apply("/api/v1/namespaces/ns/configmaps/c", "m", Map.of()))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(403))
                    .hasMessage("PATCH /api/v1/namespaces/ns/configmaps/c: HTTP 403: configmaps \"c\" is forbidden:"
                            + " User \"x\" cannot patch");
        }
    }

    @Test
    void aServerNotSignedByTheServiceAccountsCaIsNotTalkedTo() throws Exception {
        try (FakeApiServer fake = FakeApiServer.start(r -> new Answer(200, "{}"))) {
            // no ca.crt: the JVM's default trust, which does not know the stand-in's CA
            KubeApi api = KubeApi.inCluster(fake.uri(), Path.of("/nonexistent"));

            assertThatThrownBy(() -> api.get("/api/v1/namespaces/ns/configmaps/c"))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isZero());
            assertThat(fake.requests()).isEmpty();
        }
    }

    @Test
    void thePodsApiServerComesFromItsEnvironment() {
        assertThat(KubeApi.inClusterServer(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443")))
                .isEqualTo(URI.create("https://10.96.0.1:443"));
        assertThat(KubeApi.inClusterServer(Map.of("KUBERNETES_SERVICE_HOST", "fd00::1", "KUBERNETES_SERVICE_PORT", "6443")))
                .isEqualTo(URI.create("https://[fd00::1]:6443"));
        assertThat(KubeApi.inClusterServer(Map.of())).isEqualTo(URI.create("https://kubernetes.default.svc"));
    }
}
