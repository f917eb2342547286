package dev.kgadget.daemon.status;

import dev.kgadget.daemon.testing.FakeApiServer;
import dev.kgadget.daemon.testing.FakeApiServer.Answer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The daemon's HTTP client on gRPC's Netty: what the API server can answer, and what it must refuse. */
class NettyHttpsTest {
    private static final Duration SHORT = Duration.ofMillis(500);

    @Test
    void aCertificateThatDoesNotNameTheHostIsRefused() throws Exception {
        // the stand-in's certificate names localhost, not 127.0.0.1, though it is the same server
        try (FakeApiServer fake = FakeApiServer.start(r -> new Answer(200, "{}"))) {
            URI byAddress = URI.create("https://127.0.0.1:" + fake.uri().getPort());
            KubeApi api = KubeApi.inCluster(byAddress, fake.writeServiceAccount(Files.createTempDirectory("sa"), "t"));

            assertThatThrownBy(() -> api.get("/api/v1/namespaces/ns/configmaps/c"))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isZero())
                    .hasMessageContaining("127.0.0.1");
            assertThat(fake.requests()).isEmpty();
            // and by its name it is fine
            KubeApi byName = KubeApi.inCluster(fake.uri(), fake.writeServiceAccount(Files.createTempDirectory("sa"), "t"));
            assertThat(byName.get("/api/v1/namespaces/ns/configmaps/c")).isEqualTo(Map.of());
        }
    }

    @Test
    void aLargeChunkedAnswerArrivesWhole() throws Exception {
        byte[] big = new byte[3 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + i % 26);
        }
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> answerChunked(server, big));
            NettyHttps http = new NettyHttps(null, SHORT, Duration.ofSeconds(10));

            NettyHttps.Answer a = http.send("PATCH", URI.create("http://127.0.0.1:" + server.getLocalPort() + "/x?y=1"),
                    Map.of("X-One", List.of("a", "b")), "{\"k\":1}".getBytes(StandardCharsets.UTF_8));

            assertThat(a.code()).isEqualTo(201);
            assertThat(Arrays.equals(a.body(), big)).isTrue();
            assertThat(request.get()).startsWith("PATCH /x?y=1 HTTP/1.1\r\n").contains("\r\nX-One: a\r\n", "\r\nX-One: b\r\n",
                    "\r\nconnection: close\r\n", "\r\ncontent-length: 7\r\n").endsWith("\r\n\r\n{\"k\":1}");
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NettyHttps http = new NettyHttps(null, SHORT, SHORT);
            long start = System.nanoTime();
            assertThatThrownBy(() -> http.send("GET", URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"),
                    Map.of(), null)).isInstanceOf(IOException.class).hasMessage("no answer within 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aRefusedConnectionSaysSo() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        NettyHttps http = new NettyHttps(null, SHORT, SHORT);
        assertThatThrownBy(() -> http.send("GET", URI.create("http://127.0.0.1:" + closed + "/"), Map.of(), null))
                .isInstanceOf(IOException.class).hasMessageContaining("Connection refused");
        assertThatThrownBy(() -> http.send("GET", URI.create("ftp://127.0.0.1/"), Map.of(), null))
                .isInstanceOf(IOException.class).hasMessage("not an http(s) URL: ftp://127.0.0.1/");
    }

    /** Reads one request (head and a Content-Length body), answers 201 with {@code body} in 64 KiB chunks. */
    private static String answerChunked(ServerSocket server, byte[] body) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            while (!seen.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                seen.write(in.read());
            }
            String head = seen.toString(StandardCharsets.ISO_8859_1).toLowerCase();
            int length = Integer.parseInt(head.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
            seen.write(in.readNBytes(length));
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            for (int off = 0; off < body.length; off += 65536) {
                int n = Math.min(65536, body.length - off);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, off, n);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return seen.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
