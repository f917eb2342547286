package dev.kgadget.operator.it;

import dev.kgadget.api.crd.TraceJob;
import dev.kgadget.api.crd.TraceJobPhase;
import dev.kgadget.api.tls.DaemonTls;
import dev.kgadget.api.tls.TlsMaterial;
import dev.kgadget.operator.JobPolicy;
import dev.kgadget.operator.OperatorApp;
import dev.kgadget.operator.OperatorSettings;
import dev.kgadget.operator.TlsBootstrap;
import dev.kgadget.operator.testing.ApiServer;
import dev.kgadget.operator.testing.FakeCluster;
import dev.kgadget.operator.testing.TraceJobs;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What an installation relies on, against the real API server: the admin's policy (allowed
 * gadgets, maximum duration), two replicas under leader election, and the daemon TLS Secrets
 * the operator makes on its first start.
 */
class OperatorSetupIT {
    private static KubernetesClient client;
    private static FakeCluster cluster;

    @BeforeAll
    static void cluster() {
        client = ApiServer.client();
        cluster = new FakeCluster(client);
        cluster.node("node-s", Map.of());
        cluster.startDaemon("node-s");
    }

    @AfterAll
    static void teardown() {
        cluster.close();
    }

    @Test
    void jobsOutsideTheAdminsPolicyFailWithAReason() {
        String ns = namespace("policy");
        cluster.pod(ns, "p", "node-s", Map.of("app", "x"));
        OperatorSettings settings = OperatorSettings.of(FakeCluster.DAEMON_NAMESPACE).withNamespaces(Set.of(ns))
                .withPolicy(new JobPolicy(Set.of("execsnoop", "opensnoop"), Duration.ofSeconds(30)));
        OperatorApp operator = new OperatorApp(ApiServer.newClient(), settings).start();
        try {
            TraceJob syscount = client.resource(job(ns, "not-allowed", "syscount", "2s")).create();
            TraceJob longOne = client.resource(job(ns, "too-long", "execsnoop", "2m")).create();
            TraceJob fine = client.resource(job(ns, "fine", "execsnoop", "3s")).create();
            assertThat(completed(awaitFinal(syscount)))
                    .isEqualTo("Failed GadgetNotAllowed spec.gadget: syscount is not allowed in this cluster "
                            + "(allowed: execsnoop, opensnoop)");
            assertThat(completed(awaitFinal(longOne)))
                    .isEqualTo("Failed DurationTooLong spec.duration: 2m is longer than this cluster allows (30s)");
            assertThat(completed(awaitFinal(fine))).startsWith("Succeeded ");
        } finally {
            operator.close();
        }
    }

    @Test
    void aPolicyWithAnUnknownGadgetOrDurationIsRefused() {
        assertThatThrownBy(() -> new JobPolicy(Set.of("biolatncy"), Duration.ofMinutes(1)))
                .hasMessageContaining("unknown gadget 'biolatncy'; did you mean biolatency?");
        assertThatThrownBy(() -> new JobPolicy(Set.of(), Duration.ofHours(2)))
                .hasMessage("the maximum duration 2h is out of range 100ms..1h");
    }

    @Test
    void twoReplicasOneLeadsAndTheOtherTakesOverWhenItStops() {
        String ns = namespace("leader");
        cluster.pod(ns, "p", "node-s", Map.of("app", "x"));
        OperatorSettings settings = OperatorSettings.of(FakeCluster.DAEMON_NAMESPACE).withNamespaces(Set.of(ns))
                .withLeaderElection(true);
        OperatorApp a = new OperatorApp(ApiServer.newClient(), settings).start();
        OperatorApp b = new OperatorApp(ApiServer.newClient(), settings).start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> holder() != null);
            OperatorApp leader = holder().equals(a.identity()) ? a : b;
            OperatorApp standby = leader == a ? b : a;
            assertThat(holder()).isEqualTo(leader.identity());

            TraceJob first = client.resource(job(ns, "first", "execsnoop", "3s")).create();
            assertThat(completed(awaitFinal(first))).startsWith("Succeeded ");

            leader.close();
            // the lease runs out (15 s by default) and the standby takes it and the work
            await().atMost(Duration.ofSeconds(45)).until(() -> standby.identity().equals(holder()));
            TraceJob second = client.resource(job(ns, "second", "execsnoop", "3s")).create();
            assertThat(completed(awaitFinal(second))).startsWith("Succeeded ");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void theFirstStartMakesTheDaemonTlsSecretsAndLaterStartsReuseThem() throws Exception {
        String ns = namespace("tls");
        TlsMaterial clientSide = TlsBootstrap.ensure(client, ns);
        Secret server = client.secrets().inNamespace(ns).withName(DaemonTls.SERVER_SECRET).get();
        Secret clientSecret = client.secrets().inNamespace(ns).withName(DaemonTls.CLIENT_SECRET).get();
        assertThat(server.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(clientSecret.getType()).isEqualTo("kubernetes.io/tls");

        TlsMaterial serverSide = TlsMaterial.fromSecretData(server.getData());
        X509Certificate ca = x509(serverSide.caPem());
        X509Certificate daemonCert = x509(serverSide.certPem());
        X509Certificate clientCert = x509(clientSide.certPem());
        daemonCert.verify(ca.getPublicKey());
        clientCert.verify(ca.getPublicKey());
        assertThat(clientSide.caPem()).isEqualTo(serverSide.caPem());
        assertThat(daemonCert.getSubjectAlternativeNames()).containsExactly(List.of(2, DaemonTls.SERVER_NAME));
        assertThat(daemonCert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(clientCert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(ca.getBasicConstraints()).isZero();

        // a restart (or a second replica) uses what is there
        assertThat(TlsBootstrap.ensure(client, ns)).isEqualTo(clientSide);

        // half a pair is refused rather than silently replaced
        client.secrets().inNamespace(ns).withName(DaemonTls.SERVER_SECRET).delete();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                client.secrets().inNamespace(ns).withName(DaemonTls.SERVER_SECRET).get() == null);
        assertThatThrownBy(() -> TlsBootstrap.ensure(client, ns)).isInstanceOf(IllegalStateException.class)
                .hasMessage("only one of the Secrets kgadget-daemon-tls and kgadget-client-tls exists in " + ns
                        + ": supply both (one CA) or delete it");
    }

    private static String holder() {
        Lease lease = client.leases().inNamespace(FakeCluster.DAEMON_NAMESPACE).withName(OperatorSettings.LEASE_NAME).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static X509Certificate x509(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
    }

    private static String namespace(String prefix) {
        String ns = FakeCluster.uniqueNamespace(prefix);
        cluster.namespace(ns);
        return ns;
    }

    private static TraceJob job(String ns, String name, String gadget, String duration) {
        return TraceJobs.job(ns, name, TraceJobs.spec(gadget, duration, null, Map.of("app", "x")));
    }

    private static TraceJob awaitFinal(TraceJob j) {
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            TraceJob t = client.resource(j).get();
            return t.getStatus() != null && t.getStatus().getPhase() != null && t.getStatus().getPhase().isFinal();
        });
        return client.resource(j).get();
    }

    private static String completed(TraceJob t) {
        var c = t.getStatus().getConditions().stream().filter(x -> "Completed".equals(x.getType())).findFirst().orElseThrow();
        return t.getStatus().getPhase() + " " + c.getReason() + " " + c.getMessage();
    }
}
