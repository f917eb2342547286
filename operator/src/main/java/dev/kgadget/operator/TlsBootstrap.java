package dev.kgadget.operator;

import dev.kgadget.api.tls.DaemonTls;
import dev.kgadget.api.tls.TlsMaterial;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The operator-daemon certificates: the two Secrets of the daemon namespace, used as they are
 * when present (supplied by the user, or made by an earlier start), else made here once —
 * a fresh CA issues the daemon's and the client's certificate and is then forgotten. Two
 * operators starting at once both try; the loser of the create race reads the winner's.
 */
public final class TlsBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(TlsBootstrap.class);
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/part-of", "kgadget",
            "app.kubernetes.io/component", "daemon-tls");

    private TlsBootstrap() {
    }

    /** The client side, after making sure both Secrets exist in {@code namespace}. */
    public static TlsMaterial ensure(KubernetesClient client, String namespace) {
        TlsMaterial server = read(client, namespace, DaemonTls.SERVER_SECRET);
        TlsMaterial clientSide = read(client, namespace, DaemonTls.CLIENT_SECRET);
        if (server != null && clientSide != null) {
            return clientSide;
        }
        if (server != null || clientSide != null) {
            throw new IllegalStateException("only one of the Secrets " + DaemonTls.SERVER_SECRET + " and "
                    + DaemonTls.CLIENT_SECRET + " exists in " + namespace + ": supply both (one CA) or delete it");
        }
        DaemonTls.Pair pair = DaemonTls.generate();
        try {
            create(client, namespace, DaemonTls.SERVER_SECRET, pair.server());
            create(client, namespace, DaemonTls.CLIENT_SECRET, pair.client());
            LOG.info("created the daemon TLS Secrets {} and {} in {}", DaemonTls.SERVER_SECRET, DaemonTls.CLIENT_SECRET,
                    namespace);
            return pair.client();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // another operator made them first: use its
            TlsMaterial theirs = read(client, namespace, DaemonTls.CLIENT_SECRET);
            if (theirs == null) {
                throw new IllegalStateException("the Secret " + DaemonTls.CLIENT_SECRET + " in " + namespace
                        + " is being created by another operator; restarting will pick it up", e);
            }
            return theirs;
        }
    }

    /** A Secret's material, or null when it does not exist; one without the three keys is an error. */
    public static TlsMaterial read(KubernetesClient client, String namespace, String name) {
        Secret s = client.secrets().inNamespace(namespace).withName(name).get();
        if (s == null) {
            return null;
        }
        TlsMaterial m = TlsMaterial.fromSecretData(s.getData());
        if (m == null) {
            throw new IllegalStateException("the Secret " + namespace + "/" + name + " lacks one of "
                    + TlsMaterial.CA + ", " + TlsMaterial.CERT + ", " + TlsMaterial.KEY);
        }
        return m;
    }

    private static void create(KubernetesClient client, String namespace, String name, TlsMaterial m) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).withLabels(LABELS).endMetadata().withType("kubernetes.io/tls")
                .withData(m.toSecretData()).build()).create();
    }
}
