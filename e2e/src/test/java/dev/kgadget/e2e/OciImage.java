package dev.kgadget.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An OCI image tarball (what Jib's buildTar writes) unpacked the way a container runtime
 * would: its layers in order into one root directory, with the config's entrypoint and env.
 */
final class OciImage {
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path root;
    final List<String> entrypoint;
    final List<String> env;
    final long compressedBytes;

    private OciImage(Path root, List<String> entrypoint, List<String> env, long compressedBytes) {
        this.root = root;
        this.entrypoint = entrypoint;
        this.env = env;
        this.compressedBytes = compressedBytes;
    }

    static OciImage unpack(Path tarball, Path into) throws Exception {
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException(tarball + " is missing: the images are built in the package phase");
        }
        Path layout = Files.createDirectories(into.resolve("layout"));
        run("tar", "-xf", tarball.toString(), "-C", layout.toString());
        JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
        JsonNode manifest = JSON.readTree(blob(layout, index.get("manifests").get(0).get("digest").asText()).toFile());
        JsonNode config = JSON.readTree(blob(layout, manifest.get("config").get("digest").asText()).toFile()).get("config");
        Path root = Files.createDirectories(into.resolve("root"));
        long bytes = 0;
        for (JsonNode layer : manifest.get("layers")) {
            Path b = blob(layout, layer.get("digest").asText());
            bytes += Files.size(b);
            run("tar", "-xzf", b.toString(), "-C", root.toString());
        }
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(e -> entrypoint.add(e.asText()));
        List<String> env = new ArrayList<>();
        if (config.has("Env")) {
            config.get("Env").forEach(e -> env.add(e.asText()));
        }
        return new OciImage(root, entrypoint, env, bytes);
    }

    private static Path blob(Path layout, String digest) {
        return layout.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes());
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
