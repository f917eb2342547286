package dev.kgadget.cli.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged CLI run as a separate process, the way the ./kgadget launcher runs it. */
final class CliProcess {
    record Outcome(int exit, String out, String err) {
    }

    private CliProcess() {
    }

    static List<String> command(List<String> prefix, String... args) {
        return command(prefix, List.of(), args);
    }

    /** {@code jvmOptions} go before -jar, e.g. -Dkgadget.mode=cluster (what the kubectl-gadget launcher passes). */
    static List<String> command(List<String> prefix, List<String> jvmOptions, String... args) {
        String jar = System.getProperty("kgadget.jar", "target/kgadget.jar");
        if (!Files.exists(Path.of(jar))) {
            throw new IllegalStateException(jar + " is missing: the integration tests run after package");
        }
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static Process start(List<String> prefix, String... args) throws IOException {
        return new ProcessBuilder(command(prefix, args)).start();
    }

    static Outcome run(String... args) throws Exception {
        return finish(start(List.of(), args));
    }

    static Outcome finish(Process p) throws Exception {
        // drain both pipes concurrently so neither can fill up and stall the CLI
        var out = new java.util.concurrent.CompletableFuture<String>();
        var err = new java.util.concurrent.CompletableFuture<String>();
        new Thread(() -> out.complete(read(p.getInputStream())), "cli-stdout").start();
        new Thread(() -> err.complete(read(p.getErrorStream())), "cli-stderr").start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 120 s");
        }
        return new Outcome(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }
}
