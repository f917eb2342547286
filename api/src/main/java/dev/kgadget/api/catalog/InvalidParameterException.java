package dev.kgadget.api.catalog;

/** A user-supplied gadget name, parameter or duration is not acceptable; the message says why. */
public class InvalidParameterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidParameterException(String message) {
        super(message);
    }
}
