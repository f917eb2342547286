package dev.kgadget.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;

/** Runs the CLI in-process with captured stdout and stderr. */
final class Cli {
    /** For input that must be rejected before anything is loaded. */
    static final GadgetLauncher NO_KERNEL = (request, sink) -> {
        throw new AssertionError("bad input must be rejected before the gadget starts");
    };

    record Outcome(int code, String out, String err) {
    }

    private Cli() {
    }

    static Outcome run(GadgetLauncher launcher, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Main.run(args, new CliEnvironment(o, e, false, ZoneOffset.UTC, launcher, new ExitGate()));
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
