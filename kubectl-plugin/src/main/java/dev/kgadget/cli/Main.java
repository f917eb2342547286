package dev.kgadget.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code kgadget}: run gadgets on this host. Exit codes: 0 ok (a run ended early by Ctrl-C
 * included), 2 bad input, 3 the gadget cannot run here, 1 a bug.
 */
@Command(name = "kgadget", mixinStandardHelpOptions = true, versionProvider = ManifestVersion.class,
        description = "eBPF diagnostics for this host: latency histograms, event traces and syscall counts.",
        subcommands = HelpCommand.class)
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, CliEnvironment.system()));
    }

    /** Runs the CLI in-process, e.g. from tests, without exiting the JVM. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, CliEnvironment.of(out, err));
    }

    public static int run(String[] args, CliEnvironment env) {
        int code = commandLine(env).execute(args);
        env.out().flush();
        env.err().flush();
        env.exitGate().open(code);
        return code;
    }

    static CommandLine commandLine(CliEnvironment env) {
        CommandLine cl = new CommandLine(new Main())
                .addSubcommand(new ListCommand(env))
                .addSubcommand(new RunCommand(env));
        ErrorReporter errors = new ErrorReporter(env.err());
        cl.setOut(new PrintWriter(env.out(), true));
        cl.setErr(new PrintWriter(env.err(), true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(errors);
        cl.setExecutionExceptionHandler(errors);
        return cl;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing command: use 'kgadget list' or 'kgadget run <gadget>'");
    }
}
