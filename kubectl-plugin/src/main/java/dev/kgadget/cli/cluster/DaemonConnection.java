package dev.kgadget.cli.cluster;

import dev.kgadget.api.cluster.DaemonDirectory;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import dev.kgadget.api.tls.DaemonTls;
import dev.kgadget.api.tls.TlsMaterial;
import io.grpc.ManagedChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * A gRPC channel (mTLS, with the client Secret's certificate) from the CLI to one node daemon: straight to the pod IP when this machine can
 * reach it (the CLI runs in the cluster, or on a node), else through the API server's
 * {@code pods/portforward}, as {@code kubectl port-forward} would.
 */
final class DaemonConnection implements AutoCloseable {
    /** How long a direct connection may take before the port-forward is tried. */
    static final Duration DIRECT_PROBE = Duration.ofMillis(300);

    private final ManagedChannel channel;
    private final LocalPortForward forward;
    private final String via;

    private DaemonConnection(ManagedChannel channel, LocalPortForward forward, String via) {
        this.channel = channel;
        this.forward = forward;
        this.via = via;
    }

    static DaemonConnection open(KubernetesClient client, Pod daemon, TlsMaterial tls) {
        String ip = daemon.getStatus().getPodIP();
        int port = DaemonDirectory.port(daemon);
        if (reachable(ip, port)) {
            return new DaemonConnection(DaemonTls.channel(ip + ":" + port, tls), null, ip + ":" + port);
        }
        LocalPortForward forward = client.pods().inNamespace(daemon.getMetadata().getNamespace())
                .withName(daemon.getMetadata().getName()).portForward(port);
        return new DaemonConnection(DaemonTls.channel("127.0.0.1:" + forward.getLocalPort(), tls), forward,
                "port-forward to pod " + daemon.getMetadata().getName());
    }

    private static boolean reachable(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), (int) DIRECT_PROBE.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    ManagedChannel channel() {
        return channel;
    }

    /** "10.0.0.5:7701" or "port-forward to pod kgadget-daemon-x7k2p", for -v. */
    String via() {
        return via;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        if (forward != null) {
            try {
                forward.close();
            } catch (IOException e) {
                // the forward's socket is gone already
            }
        }
    }
}
