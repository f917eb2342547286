package dev.kgadget.api.ops;

import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Runs a server's command line (node daemon, operator). A server that cannot start (a missing
 * TLS Secret, an unreadable ServiceAccount CA) says why in one log line and exits with 1, instead
 * of the stack trace picocli would print.
 */
public final class ServerCommand {
    private ServerCommand() {
    }

    /** @return the exit code: the command's, 1 when it threw, 2 for bad arguments */
    public static int execute(Object command, String... args) {
        CommandLine line = new CommandLine(command);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            LoggerFactory.getLogger(command.getClass()).error("cannot start: {}",
                    e.getMessage() != null ? e.getMessage() : e.toString());
            return 1;
        });
        return line.execute(args);
    }
}
