package dev.kgadget.api.ops;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class HealthEndpointsTest {
    @Test
    void readinessFollowsTheSupplierAndLivenessIsAlwaysOk() throws Exception {
        AtomicReference<Optional<String>> reason = new AtomicReference<>(Optional.of("no BTF at /sys/kernel/btf/vmlinux"));
        try (HealthEndpoints h = HealthEndpoints.start(0, reason::get)) {
            HttpClient c = HttpClient.newHttpClient();
            assertThat(get(c, h, "/healthz")).isEqualTo("200 ok\n");
            assertThat(get(c, h, "/readyz")).isEqualTo("503 no BTF at /sys/kernel/btf/vmlinux\n");
            reason.set(Optional.empty());
            assertThat(get(c, h, "/readyz")).isEqualTo("200 ready\n");
        }
    }

    private static String get(HttpClient c, HealthEndpoints h, String path) throws Exception {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + h.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }
}
