package dev.kgadget.daemon.libbpf;

/** A libbpf or bpf(2) call failed; carries the errno so callers can explain it. */
public class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public BpfException(String what, int errno, String detail) {
        super(what + ": " + Bpf.strerror(errno) + (detail == null || detail.isBlank() ? "" : " (" + detail + ")"));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
