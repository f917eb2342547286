package dev.kgadget.daemon.testing;

import dev.kgadget.api.tls.CertificateAuthority;
import dev.kgadget.api.tls.TlsMaterial;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTPS server on localhost that stands in for the Kubernetes API where no real one is
 * needed (a daemon process, the benchmark): it records every request and answers from a
 * function of it. {@link #writeServiceAccount} writes the ca.crt and token a pod would have.
 */
public final class FakeApiServer implements AutoCloseable {
    /** One request as received. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** An answer: status code and JSON body. */
    public record Answer(int code, String body) {
    }

    private final HttpsServer server;
    private final TlsMaterial tls;
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeApiServer(HttpsServer server, TlsMaterial tls) {
        this.server = server;
        this.tls = tls;
    }

    /** Answers every request with {@code answer.apply(request)}. */
    public static FakeApiServer start(Function<Request, Answer> answer) throws Exception {
        TlsMaterial tls = CertificateAuthority.create("fake-api-ca").issueServer(List.of("localhost"));
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(sslContext(tls)));
        FakeApiServer fake = new FakeApiServer(server, tls);
        server.createContext("/", exchange -> {
            Request r = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            fake.requests.add(r);
            Answer a = answer.apply(r);
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(a.code(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return fake;
    }

    public URI uri() {
        return URI.create("https://localhost:" + server.getAddress().getPort());
    }

    /** What a pod's ServiceAccount mount holds for this server: its CA as ca.crt, and {@code token}. */
    public Path writeServiceAccount(Path dir, String token) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("ca.crt"), tls.caPem());
        Files.writeString(dir.resolve("token"), token + "\n");
        return dir;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static SSLContext sslContext(TlsMaterial m) throws Exception {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        Certificate cert = x509.generateCertificate(new ByteArrayInputStream(m.certPem().getBytes(StandardCharsets.US_ASCII)));
        String key = m.keyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey pk = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(key)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] pass = "x".toCharArray();
        store.setKeyEntry("server", pk, pass, new Certificate[]{cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, pass);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
