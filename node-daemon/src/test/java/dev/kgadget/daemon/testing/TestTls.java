package dev.kgadget.daemon.testing;

import dev.kgadget.api.tls.DaemonTls;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;

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
}
