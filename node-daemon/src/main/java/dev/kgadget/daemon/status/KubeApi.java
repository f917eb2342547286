package dev.kgadget.daemon.status;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The daemon's only use of the Kubernetes API: read an object, and server-side apply to an
 * object or its status, over HTTP/1.1 on gRPC's Netty ({@link NettyHttps}). A general client
 * (fabric8) cost the daemon about 17 MiB of its resident set (some 1,200 classes, their symbols
 * and code) for these two calls, and the JDK's HTTP client ~2 MiB; see docs/benchmarks.md.
 *
 * <p>Failures are {@link KubeApiException}s carrying the HTTP code (0: no answer) and the API
 * server's own message.
 */
public final class KubeApi {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final URI server;
    private final NettyHttps http;
    private final Supplier<String> token;
    private final Map<String, List<String>> headers;

    /**
     * @param server  the API server's base URL, e.g. {@code https://10.96.0.1:443}
     * @param tls     trusts the API server (and may hold a client certificate)
     * @param token   a bearer token, asked for on every call (a pod's token file is rotated); null
     *                or blank: none sent
     * @param headers sent with every call, each value as a header of its own (e.g. impersonation)
     */
    public KubeApi(URI server, SSLContext tls, Supplier<String> token, Map<String, List<String>> headers) {
        this.server = Objects.requireNonNull(server, "server");
        this.token = Objects.requireNonNull(token, "token");
        this.headers = Map.copyOf(headers);
        this.http = new NettyHttps(tls, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    /**
     * As a pod: the server from {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} (given), the
     * ServiceAccount's CA and token from {@code serviceAccountDir}. Without a ca.crt the JVM's
     * default trust is used; without a token no Authorization is sent (the API server answers 401
     * or 403, which the writes log).
     */
    public static KubeApi inCluster(URI server, Path serviceAccountDir) throws IOException {
        Path ca = serviceAccountDir.resolve("ca.crt");
        Path tokenFile = serviceAccountDir.resolve("token");
        SSLContext tls = Files.isReadable(ca) ? trusting(ca) : defaultTls();
        return new KubeApi(server, tls, () -> readToken(tokenFile), Map.of());
    }

    /** The in-cluster API server: {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT}, else the Service's DNS name. */
    public static URI inClusterServer(Map<String, String> env) {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        if (host == null || host.isBlank()) {
            return URI.create("https://kubernetes.default.svc");
        }
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
        return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }

    public URI server() {
        return server;
    }

    /** GET {@code path}: the object (as {@link JsonTree} reads it), or null when the API server answers 404. */
    public Object get(String path) {
        NettyHttps.Answer r = send("GET", path, null, null);
        if (r.code() == 404) {
            return null;
        }
        check("GET", path, r);
        try {
            return JsonTree.parse(r.body());
        } catch (IOException e) {
            throw new KubeApiException(r.code(), "the answer to GET " + path + " is not JSON: " + e.getMessage());
        }
    }

    /**
     * Server-side apply of {@code body} (what {@link ModelJson} writes) to {@code path} as
     * {@code fieldManager}, taking fields from other managers.
     */
    public void apply(String path, String fieldManager, Object body) {
        String target = path + "?fieldManager=" + URLEncoder.encode(fieldManager, StandardCharsets.UTF_8) + "&force=true";
        // JSON is YAML, which is what the apply patch type is declared as
        check("PATCH", path, send("PATCH", target, "application/apply-patch+yaml", ModelJson.bytes(body)));
    }

    private NettyHttps.Answer send(String method, String pathAndQuery, String contentType, byte[] body) {
        URI url = server.resolve(pathAndQuery);
        Map<String, List<String>> all = new LinkedHashMap<>();
        all.put("Accept", List.of("application/json"));
        if (contentType != null) {
            all.put("Content-Type", List.of(contentType));
        }
        String bearer = token.get();
        if (bearer != null && !bearer.isBlank()) {
            all.put("Authorization", List.of("Bearer " + bearer));
        }
        all.putAll(headers);
        try {
            return http.send(method, url, all, body);
        } catch (IOException e) {
            throw new KubeApiException(0, method + " " + url + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubeApiException(0, method + " " + url + ": interrupted");
        }
    }

    /** Throws for anything but 2xx, with the message of the API server's Status if it sent one. */
    private static void check(String method, String path, NettyHttps.Answer r) {
        int code = r.code();
        if (code / 100 == 2) {
            return;
        }
        String message = new String(r.body(), StandardCharsets.UTF_8);
        try {
            String said = JsonTree.text(JsonTree.parse(r.body()), "message");
            if (!said.isEmpty()) {
                message = said;
            }
        } catch (IOException notJson) {
            // the body as text, then
        }
        throw new KubeApiException(code, method + " " + path + ": HTTP " + code + ": " + message.strip());
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new KubeApiException(0, "cannot read the ServiceAccount token " + file + ": " + e.getMessage());
        }
    }

    /** TLS that trusts the certificates of a PEM file (and nothing else). */
    public static SSLContext trusting(Path caPem) throws IOException {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IOException("no certificate in " + caPem);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the certificates of " + caPem + ": " + e.getMessage(), e);
        }
    }

    private static SSLContext defaultTls() throws IOException {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IOException("no default TLS: " + e.getMessage(), e);
        }
    }
}
