package dev.kgadget.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
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

    /** {@code -Dkgadget.mode=cluster} (the kubectl-gadget launcher): run/get/... act on TraceJobs. */
    public static final String MODE_PROPERTY = "kgadget.mode";

    public static void main(String[] args) {
        // the CLI's own logging: libraries' warnings only, on stderr (stdout stays parseable)
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "kgadget/cli-logback.xml");
        }
        boolean cluster = "cluster".equals(System.getProperty(MODE_PROPERTY));
        if (!cluster && args.length > 0 && "run".equals(args[0])) {
            NativeWarmup.start(args.length > 1 ? args[1] : null);
        }
        System.exit(run(args, CliEnvironment.system(), cluster));
    }

    /** Runs the CLI in-process, e.g. from tests, without exiting the JVM. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, CliEnvironment.of(out, err));
    }

    public static int run(String[] args, CliEnvironment env) {
        return run(args, env, false);
    }

    /**
     * @param cluster {@code kubectl gadget}: run creates a TraceJob, and get, describe, results and
     *                delete act on TraceJobs; {@code run --local} still runs on this host
     */
    public static int run(String[] args, CliEnvironment env, boolean cluster) {
        String[] effective = args;
        boolean clusterMode = cluster;
        if (cluster && args.length > 0 && "run".equals(args[0]) && List.of(args).contains("--local")) {
            effective = Arrays.stream(args).filter(a -> !"--local".equals(a)).toArray(String[]::new);
            clusterMode = false;
        }
        int code = (clusterMode ? clusterCommandLine(env) : commandLine(env)).execute(effective);
        env.out().flush();
        env.err().flush();
        env.exitGate().open(code);
        return code;
    }

    static CommandLine clusterCommandLine(CliEnvironment env) {
        CommandLine cl = new CommandLine(new Main())
                .addSubcommand(new ListCommand(env))
                .addSubcommand(new dev.kgadget.cli.cluster.ClusterRunCommand(env))
                .addSubcommand(new dev.kgadget.cli.cluster.GetCommand(env))
                .addSubcommand(new dev.kgadget.cli.cluster.DescribeCommand(env))
                .addSubcommand(new dev.kgadget.cli.cluster.ResultsCommand(env))
                .addSubcommand(new dev.kgadget.cli.cluster.DeleteCommand(env))
                .addSubcommand("schedule", dev.kgadget.cli.cluster.ScheduleCommands.commandLine(env));
        cl.setCommandName("kubectl gadget");
        cl.getCommandSpec().usageMessage().description(
                "eBPF diagnostics for the pods you select, across the nodes they run on (TraceJobs).");
        return configure(cl, env);
    }

    static CommandLine commandLine(CliEnvironment env) {
        CommandLine cl = new CommandLine(new Main())
                .addSubcommand(new ListCommand(env))
                .addSubcommand(new RunCommand(env));
        return configure(cl, env);
    }

    private static CommandLine configure(CommandLine cl, CliEnvironment env) {
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
