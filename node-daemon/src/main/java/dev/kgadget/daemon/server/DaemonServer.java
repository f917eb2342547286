package dev.kgadget.daemon.server;

import io.grpc.Grpc;
import io.grpc.ServerCredentials;
import io.grpc.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's gRPC endpoint (grpc-netty-shaded, plaintext) serving {@link NodeDaemonService}
 * to the operator.
 *
 * <p>{@link #close()} shuts down gracefully: the server stops accepting calls, then every job
 * is ended ({@link dev.kgadget.daemon.jobs.NodeJobs#close()}: each gadget detached, each result
 * handed to the publisher, each FollowEvents stream completed), then the calls still running
 * get a few seconds to finish before the server is stopped.
 */
public final class DaemonServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonServer.class);
    private static final long DRAIN_SECONDS = 5;

    private final NodeDaemonService service;
    private final Server server;
    private boolean closed;

    private DaemonServer(NodeDaemonService service, Server server) {
        this.service = service;
        this.server = server;
    }

    /**
     * Binds {@code port} on every interface and starts serving.
     *
     * @param port        0 for an ephemeral port (see {@link #port()})
     * @param credentials the daemon's TLS ({@link dev.kgadget.api.tls.DaemonTls#server}): clients must present a
     *                    certificate of kgadget's CA
     * @throws UncheckedIOException when the port cannot be bound
     */
    public static DaemonServer start(int port, NodeDaemonService service, ServerCredentials credentials) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
        }
        Server server = Grpc.newServerBuilderForPort(port, credentials)
                .addService(service)
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve gRPC on port " + port + ": " + e.getMessage(), e);
        }
        DaemonServer s = new DaemonServer(service, server);
        LOG.info("node daemon of {} serving gRPC on port {}", service.nodeName(), s.port());
        return s;
    }

    /** The bound port (the ephemeral one when started with 0). */
    public int port() {
        return server.getPort();
    }

    public NodeDaemonService service() {
        return service;
    }

    /** Blocks until the server has terminated (after {@link #close()}). */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("shutting down: no new calls; ending {} running trace(s)", service.jobs().running());
        server.shutdown();
        try {
            service.jobs().close();
        } catch (RuntimeException e) {
            LOG.error("ending the running traces failed", e);
        }
        try {
            if (!server.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("calls still open after {} s; cancelling them", DRAIN_SECONDS);
                server.shutdownNow();
                server.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            service.close();
        }
        LOG.info("node daemon stopped");
    }
}
