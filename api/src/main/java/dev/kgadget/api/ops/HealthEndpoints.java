package dev.kgadget.api.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * /healthz (the process serves requests) and /readyz (it can do its job: the supplier returns
 * empty, or the reason it cannot) for kubelet probes, on the JDK's built-in HTTP server.
 */
public final class HealthEndpoints implements AutoCloseable {
    private final HttpServer server;

    private HealthEndpoints(HttpServer server) {
        this.server = server;
    }

    /** @param notReadyReason empty when ready, else why not (returned with 503) */
    public static HealthEndpoints start(int port, Supplier<Optional<String>> notReadyReason) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/healthz", ex -> reply(ex, 200, "ok"));
        server.createContext("/readyz", ex -> {
            Optional<String> reason;
            try {
                reason = notReadyReason.get();
            } catch (RuntimeException e) {
                reason = Optional.of(String.valueOf(e.getMessage()));
            }
            reply(ex, reason.isEmpty() ? 200 : 503, reason.orElse("ready"));
        });
        server.start();
        return new HealthEndpoints(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
