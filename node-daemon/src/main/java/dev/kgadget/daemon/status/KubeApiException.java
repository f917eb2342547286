package dev.kgadget.daemon.status;

/** A Kubernetes API call that did not succeed: the HTTP code (0 when no answer came) and why. */
public final class KubeApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public KubeApiException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
