package dev.kgadget.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/**
 * What the CLI touches outside itself, passed in so tests can run it in-process.
 *
 * @param interactive stderr is a terminal: the progress line may be redrawn in place
 * @param zone        the zone event times are shown in; null for this host's, looked up when first
 *                    asked for (see {@link #zone()})
 */
public record CliEnvironment(PrintStream out, PrintStream err, boolean interactive, ZoneId zone,
                             GadgetLauncher launcher, ExitGate exitGate) {

    /**
     * The process's own streams. Standard output is UTF-8 whatever the locale, as kubectl's is: file
     * names and arguments come from the kernel as bytes, mostly UTF-8, and an ASCII locale would
     * turn every other byte into '?'. It becomes System.out too, so nothing writes around it.
     */
    public static CliEnvironment system() {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(out);
        return new CliEnvironment(out, System.err, System.console() != null, null, GadgetLauncher.local(), new ExitGate());
    }

    public static CliEnvironment of(PrintStream out, PrintStream err) {
        return new CliEnvironment(out, err, false, null, GadgetLauncher.local(), new ExitGate());
    }

    /**
     * The zone given, or this host's. Looked up only when a time is shown: the lookup reads the
     * time zone database (~10 ms of a CLI's start), which a run that prints no time never needs.
     */
    @Override
    public ZoneId zone() {
        return zone != null ? zone : ZoneId.systemDefault();
    }

    public CliEnvironment withLauncher(GadgetLauncher other) {
        return new CliEnvironment(out, err, interactive, zone, other, exitGate);
    }

    public CliEnvironment withZone(ZoneId other) {
        return new CliEnvironment(out, err, interactive, other, launcher, exitGate);
    }
}
