package dev.kgadget.cli;

import java.io.PrintStream;
import java.time.ZoneId;

/**
 * What the CLI touches outside itself, passed in so tests can run it in-process.
 *
 * @param interactive stderr is a terminal: the progress line may be redrawn in place
 * @param zone        the zone event times are shown in
 */
public record CliEnvironment(PrintStream out, PrintStream err, boolean interactive, ZoneId zone,
                             GadgetLauncher launcher, ExitGate exitGate) {

    public static CliEnvironment system() {
        return new CliEnvironment(System.out, System.err, System.console() != null, ZoneId.systemDefault(),
                GadgetLauncher.local(), new ExitGate());
    }

    public static CliEnvironment of(PrintStream out, PrintStream err) {
        return new CliEnvironment(out, err, false, ZoneId.systemDefault(), GadgetLauncher.local(), new ExitGate());
    }

    public CliEnvironment withLauncher(GadgetLauncher other) {
        return new CliEnvironment(out, err, interactive, zone, other, exitGate);
    }

    public CliEnvironment withZone(ZoneId other) {
        return new CliEnvironment(out, err, interactive, other, launcher, exitGate);
    }
}
