package dev.kgadget.daemon.libbpf;

import com.sun.jna.Pointer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Captures libbpf's log instead of letting it print verifier dumps onto a user's terminal:
 * the last lines are kept for error messages, and everything is echoed to stderr only when
 * {@code KGADGET_DEBUG} is set.
 */
public final class LibbpfLog {
    private static final int KEEP = 64;
    private static final int LEVEL_WARN = 0;
    private static final boolean ECHO = System.getenv("KGADGET_DEBUG") != null;
    private static final Deque<String> LINES = new ArrayDeque<>();
    /* JNA callbacks must stay strongly reachable for as long as native code may call them. */
    private static final LibBpf.PrintFn CALLBACK = LibbpfLog::onPrint;
    private static volatile boolean installed;

    private LibbpfLog() {
    }

    static synchronized void install() {
        if (!installed) {
            LibBpf.INSTANCE.libbpf_set_print(CALLBACK);
            installed = true;
        }
    }

    private static int onPrint(int level, String format, Pointer vaList) {
        try {
            byte[] buf = new byte[1024];
            int n = LibC.INSTANCE.vsnprintf(buf, buf.length, format, vaList);
            String line = new String(buf, 0, Math.max(0, Math.min(n, buf.length - 1)), StandardCharsets.UTF_8).strip();
            if (ECHO) {
                System.err.println("libbpf: " + line);
            }
            if (level == LEVEL_WARN && !line.isEmpty()) {
                synchronized (LINES) {
                    LINES.addLast(line);
                    if (LINES.size() > KEEP) {
                        LINES.removeFirst();
                    }
                }
            }
        } catch (Throwable t) {
            // never let an exception unwind into native code
        }
        return 0;
    }

    /**
     * The most recent libbpf warning that explains a failure (not the verifier dump around it),
     * to complete an error message; empty when there is none.
     */
    public static String lastError() {
        synchronized (LINES) {
            var it = LINES.descendingIterator();
            while (it.hasNext()) {
                String line = it.next();
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.contains("fail") || lower.contains("error") || lower.contains("invalid")
                        || lower.contains("not found") || lower.contains("permission")) {
                    return line;
                }
            }
            return LINES.isEmpty() ? "" : LINES.peekLast();
        }
    }

    public static List<String> recent() {
        synchronized (LINES) {
            return new ArrayList<>(LINES);
        }
    }

    public static void clear() {
        synchronized (LINES) {
            LINES.clear();
        }
    }
}
