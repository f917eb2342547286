package dev.kgadget.daemon.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The class path the daemon's image ships: its classes and runtime jars, none of the tests' or
 * the compile-only ones, so a daemon started on it fails on a missing class as the image would.
 * The build lists the jars in target/daemon-runtime.classpath (kgadget.daemonRuntimeClasspath).
 */
public final class ShippedClasspath {
    private ShippedClasspath() {
    }

    public static String daemon() {
        String runtime = System.getProperty("kgadget.daemonRuntimeClasspath");
        if (runtime == null) {
            throw new IllegalStateException("kgadget.daemonRuntimeClasspath (set by the Maven build) names the daemon's runtime class path");
        }
        try {
            return Path.of(System.getProperty("kgadget.testDir"), "classes") + File.pathSeparator
                    + Files.readString(Path.of(runtime)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
