package dev.kgadget.api.tls;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The operator-daemon gRPC link: mutual TLS with certificates of kgadget's own CA. The daemon
 * accepts only clients whose certificate that CA signed (the operator, and kubectl gadget
 * --follow with the client Secret); clients check the daemon by the name {@value #SERVER_NAME}
 * rather than by pod IP, which no certificate could list in advance.
 */
public final class DaemonTls {
    /** The DNS name in the daemon's certificate and the authority clients verify. */
    public static final String SERVER_NAME = "kgadget-daemon";
    /** Secret (in the daemon namespace) with the daemon's server certificate; mounted by the DaemonSet. */
    public static final String SERVER_SECRET = "kgadget-daemon-tls";
    /** Secret (in the daemon namespace) with the client certificate; read by the operator and by --follow. */
    public static final String CLIENT_SECRET = "kgadget-client-tls";

    private DaemonTls() {
    }

    /** A fresh CA with a daemon and a client certificate. */
    public static Pair generate() {
        CertificateAuthority ca = CertificateAuthority.create("kgadget-ca");
        return new Pair(ca.issueServer(List.of(SERVER_NAME)), ca.issueClient("kgadget-operator"));
    }

    /** The two sides issued by one CA. */
    public record Pair(TlsMaterial server, TlsMaterial client) {
    }

    /** The daemon's side: its certificate, and client certificates required and checked against the CA. */
    public static ServerCredentials server(TlsMaterial m) {
        try {
            return TlsServerCredentials.newBuilder().keyManager(stream(m.certPem()), stream(m.keyPem()))
                    .trustManager(stream(m.caPem())).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build();
        } catch (IOException e) {
            throw new UncheckedIOException("the daemon's TLS material is not usable: " + e.getMessage(), e);
        }
    }

    /** A client's side: its certificate, and the daemon checked against the CA. */
    public static ChannelCredentials client(TlsMaterial m) {
        try {
            return TlsChannelCredentials.newBuilder().keyManager(stream(m.certPem()), stream(m.keyPem()))
                    .trustManager(stream(m.caPem())).build();
        } catch (IOException e) {
            throw new UncheckedIOException("the client's TLS material is not usable: " + e.getMessage(), e);
        }
    }

    /** A channel to a daemon at {@code target} (host:port), verified as {@value #SERVER_NAME}. */
    public static ManagedChannel channel(String target, TlsMaterial client) {
        return Grpc.newChannelBuilder(target, client(client)).overrideAuthority(SERVER_NAME).build();
    }

    private static InputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }
}
