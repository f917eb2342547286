package dev.kgadget.daemon.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The kgwork binary built from src/test/c/kgwork.c (see its header for the modes). */
public final class Workloads {
    private Workloads() {
    }

    public static String kgwork() {
        String p = System.getProperty("kgwork", "target/kgwork");
        if (!Files.isExecutable(Path.of(p))) {
            throw new IllegalStateException("workload binary " + p + " is missing; build with mvn (it compiles src/test/c/kgwork.c)");
        }
        return Path.of(p).toAbsolutePath().toString();
    }

    /** A directory on a real block device (not tmpfs), for O_DIRECT I/O. */
    public static Path diskDir() {
        return Path.of(System.getProperty("kgadget.testDir", "target")).toAbsolutePath();
    }
}
