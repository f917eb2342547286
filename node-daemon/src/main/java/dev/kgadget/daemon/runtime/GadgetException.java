package dev.kgadget.daemon.runtime;

/**
 * A gadget could not run, told in one line a user can act on ("what is wrong; what to do").
 * Whoever throws it has already released everything it loaded.
 */
public class GadgetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GadgetException(String message) {
        super(message);
    }

    public GadgetException(String message, Throwable cause) {
        super(message, cause);
    }
}
