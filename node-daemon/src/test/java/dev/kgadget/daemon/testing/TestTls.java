package dev.kgadget.daemon.testing;

import dev.kgadget.api.grpc.NodeDaemonGrpc;
import dev.kgadget.api.grpc.NodeStatusRequest;
import dev.kgadget.api.tls.CertificateAuthority;
import dev.kgadget.api.tls.DaemonTls;
import dev.kgadget.api.tls.TlsMaterial;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One CA, daemon and client certificate for a test JVM: daemons serve mTLS in tests as in clusters. */
public final class TestTls {
    public static final DaemonTls.Pair PAIR = DaemonTls.generate();

    private TestTls() {
    }

    public static ServerCredentials server() {
        return DaemonTls.server(PAIR.server());
    }

    /** A channel with the client certificate to a daemon on {@code host:port}. */
    public static ManagedChannel channel(String host, int port) {
        return DaemonTls.channel(host + ":" + port, PAIR.client());
    }

    /**
     * A daemon at {@code target} turns away (UNAVAILABLE) a plaintext client, a TLS client that
     * shows no certificate, and one whose certificate another CA signed.
     */
    public static void assertRefusesStrangers(String target) throws IOException {
        var ownCa = PAIR.client();
        var otherCa = CertificateAuthority.create("someone-else").issueClient("intruder");
        List<ManagedChannel> refused = List.of(
                Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build(),
                // trusts the daemon but shows no certificate
                Grpc.newChannelBuilder(target, TlsChannelCredentials.newBuilder()
                        .trustManager(new ByteArrayInputStream(ownCa.caPem().getBytes(StandardCharsets.UTF_8)))
                        .build()).overrideAuthority(DaemonTls.SERVER_NAME).build(),
                // a certificate of another CA (which it also trusts the daemon with: the daemon must still refuse)
                DaemonTls.channel(target, new TlsMaterial(ownCa.caPem(), otherCa.certPem(), otherCa.keyPem())));
        try {
            for (ManagedChannel ch : refused) {
                assertThatThrownBy(() -> NodeDaemonGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .getNodeStatus(NodeStatusRequest.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            }
        } finally {
            refused.forEach(ManagedChannel::shutdownNow);
        }
    }
}
