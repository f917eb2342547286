package dev.kgadget.cli;

import dev.kgadget.api.catalog.InvalidParameterException;
import dev.kgadget.daemon.runtime.GadgetException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;

/**
 * Every failure becomes one line, {@code kgadget: <what is wrong>}, and an exit code a script
 * can act on; stack traces only with -v, since they bury the one line that matters.
 */
final class ErrorReporter implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final int INTERNAL_ERROR = 1;

    private final PrintStream err;

    ErrorReporter(PrintStream err) {
        this.err = err;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        String command = ex.getCommandLine().getCommandSpec().qualifiedName();
        String suggestion = ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()
                ? "; did you mean " + String.join(" or ", u.getSuggestions()) + "?" : "";
        report(ex.getMessage() + suggestion + " (see '" + command + " --help')");
        return ExitCodes.BAD_INPUT;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine command, ParseResult parseResult) {
        int code;
        if (ex instanceof CliFailure f) {
            code = f.exitCode();
            report(ex.getMessage());
        } else if (ex instanceof InvalidParameterException) {
            code = ExitCodes.BAD_INPUT;
            report(ex.getMessage());
        } else if (ex instanceof GadgetException) {
            code = ExitCodes.CANNOT_RUN;
            report(ex.getMessage());
        } else {
            code = INTERNAL_ERROR;
            report("internal error: " + ex + (verbose(command) ? "" : " (run with -v for the stack trace)"));
        }
        if (verbose(command)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    private static boolean verbose(CommandLine command) {
        return command.getCommand() instanceof Verbose v && v.verbose();
    }

    private void report(String message) {
        String text = message == null ? "unknown error" : message;
        err.println("kgadget: " + text.strip().replaceAll("\\s*\\R\\s*", " "));
        err.flush();
    }
}
