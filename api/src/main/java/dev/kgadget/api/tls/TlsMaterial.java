package dev.kgadget.api.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One side of the operator-daemon mTLS, in PEM: the CA both sides trust, this side's
 * certificate and its PKCS#8 private key. Stored as a Kubernetes TLS Secret's keys
 * ({@value #CA}, {@value #CERT}, {@value #KEY}).
 */
public record TlsMaterial(String caPem, String certPem, String keyPem) {
    public static final String CA = "ca.crt";
    public static final String CERT = "tls.crt";
    public static final String KEY = "tls.key";

    /** The files of a mounted Secret; a missing file says which. */
    public static TlsMaterial fromDirectory(Path dir) {
        return new TlsMaterial(read(dir.resolve(CA)), read(dir.resolve(CERT)), read(dir.resolve(KEY)));
    }

    /** A Secret's {@code data} (base64 values), or null when a key is missing. */
    public static TlsMaterial fromSecretData(Map<String, String> data) {
        if (data == null || !data.containsKey(CA) || !data.containsKey(CERT) || !data.containsKey(KEY)) {
            return null;
        }
        return new TlsMaterial(decode(data.get(CA)), decode(data.get(CERT)), decode(data.get(KEY)));
    }

    /** As a Secret's {@code data}: base64 values. */
    public Map<String, String> toSecretData() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA, encode(caPem));
        data.put(CERT, encode(certPem));
        data.put(KEY, encode(keyPem));
        return data;
    }

    /** Writes the three files into {@code dir} (the key readable by its owner only). */
    public void writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(CA), caPem);
            Files.writeString(dir.resolve(CERT), certPem);
            Path key = dir.resolve(KEY);
            Files.writeString(key, keyPem);
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write TLS files to " + dir, e);
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + f + " (mount the TLS Secret there): " + e.getMessage(), e);
        }
    }

    private static String encode(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TlsMaterial[key hidden]";
    }
}
