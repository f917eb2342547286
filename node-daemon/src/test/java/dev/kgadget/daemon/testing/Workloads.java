package dev.kgadget.daemon.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The kgwork binary built from src/test/c/kgwork.c (see its header for the modes). */
public final class Workloads {
    private Workloads() {
    }

    /** The profile test's CPU burner (src/test/c/kgburn.c), next to kgwork. */
    public static String kgburn() {
        return Path.of(kgwork()).resolveSibling("kgburn").toString();
    }

    public static String kgwork() {
        String p = System.getProperty("kgwork", "target/kgwork");
        if (!Files.isExecutable(Path.of(p))) {
            throw new IllegalStateException("workload binary " + p + " is missing; build with mvn (it compiles src/test/c/kgwork.c)");
        }
        return Path.of(p).toAbsolutePath().toString();
    }

    /**
     * Writes out the page cache's dirty data (e.g. a build that just ran) before an I/O
     * measurement, so the flusher's requests are not in the queue while the workload's run:
     * a write merged into another task's request is counted with that request, not with ours.
     */
    public static void settleWriteback() {
        try {
            Process p = new ProcessBuilder("sync").inheritIO().start();
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("sync did not finish");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A directory on a real block device (not tmpfs), for O_DIRECT I/O. */
    public static Path diskDir() {
        return Path.of(System.getProperty("kgadget.testDir", "target")).toAbsolutePath();
    }
}
