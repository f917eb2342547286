package dev.kgadget.operator;

import dev.kgadget.api.grpc.NodeDaemonGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One gRPC channel per node daemon address, reused across jobs and reconciles. */
public final class DaemonChannels implements AutoCloseable {
    static final long CALL_TIMEOUT_MS = 5_000;

    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public NodeDaemonGrpc.NodeDaemonBlockingStub daemon(String address) {
        ManagedChannel ch = channels.computeIfAbsent(address, a -> ManagedChannelBuilder.forTarget(a).usePlaintext().build());
        return NodeDaemonGrpc.newBlockingStub(ch).withDeadlineAfter(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
