package dev.kgadget.operator;

import dev.kgadget.api.grpc.NodeDaemonGrpc;
import dev.kgadget.api.tls.DaemonTls;
import dev.kgadget.api.tls.TlsMaterial;
import io.grpc.ManagedChannel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One mTLS gRPC channel per node daemon address, reused across jobs and reconciles. */
public final class DaemonChannels implements AutoCloseable {
    static final long CALL_TIMEOUT_MS = 5_000;

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final TlsMaterial tls;

    /** @param tls the client certificate daemons accept */
    public DaemonChannels(TlsMaterial tls) {
        this.tls = tls;
    }

    public NodeDaemonGrpc.NodeDaemonBlockingStub daemon(String address) {
        ManagedChannel ch = channels.computeIfAbsent(address, a -> DaemonTls.channel(a, tls));
        return NodeDaemonGrpc.newBlockingStub(ch).withDeadlineAfter(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
