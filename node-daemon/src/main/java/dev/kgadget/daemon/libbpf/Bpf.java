package dev.kgadget.daemon.libbpf;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;

/** Error conventions of libbpf 1.x, and the capture of its log for error messages. */
public final class Bpf {
    private Bpf() {
    }

    static {
        LibbpfLog.install();
    }

    /** Makes sure the library and its log capture are initialised; cheap after the first call. */
    public static LibBpf lib() {
        return LibBpf.INSTANCE;
    }

    public static int check(int rc, String what) {
        if (rc < 0) {
            throw new BpfException(what, -rc, LibbpfLog.lastError());
        }
        return rc;
    }

    public static Pointer check(Pointer p, String what) {
        if (p == null) {
            throw new BpfException(what, Native.getLastError(), LibbpfLog.lastError());
        }
        return p;
    }

    public static String strerror(int errno) {
        byte[] buf = new byte[128];
        LibBpf.INSTANCE.libbpf_strerror(errno, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8) + " (errno " + errno + ")";
    }
}
