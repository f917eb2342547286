package dev.kgadget.cli;

/**
 * A failure the user can act on, with the exit code it ends the CLI with; reported as one line
 * {@code kgadget: <message>} (the stack trace only with -v).
 */
public class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
