package dev.kgadget.daemon.gadgets;

import java.util.ArrayList;
import java.util.List;

/** x86_64 open(2) flags as their names, the way people read them in strace. */
final class OpenFlags {
    private static final String[] NAMES = {
        "O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_NONBLOCK", "O_DSYNC", "O_ASYNC",
        "O_DIRECT", "O_LARGEFILE", "O_DIRECTORY", "O_NOFOLLOW", "O_NOATIME", "O_CLOEXEC", "__O_SYNC", "O_PATH",
        "__O_TMPFILE",
    };
    private static final int[] BITS = {
        0100, 0200, 0400, 01000, 02000, 04000, 010000, 020000,
        040000, 0100000, 0200000, 0400000, 01000000, 02000000, 04000000, 010000000,
        020000000,
    };

    private OpenFlags() {
    }

    static String describe(long flags) {
        List<String> parts = new ArrayList<>();
        parts.add(switch ((int) (flags & 3)) {
            case 0 -> "O_RDONLY";
            case 1 -> "O_WRONLY";
            case 2 -> "O_RDWR";
            default -> "O_ACCMODE";
        });
        long rest = flags & ~3L;
        for (int i = 0; i < BITS.length; i++) {
            if ((rest & BITS[i]) != 0) {
                parts.add(NAMES[i]);
                rest &= ~BITS[i];
            }
        }
        if (rest != 0) {
            parts.add("0" + Long.toOctalString(rest));
        }
        return String.join("|", parts);
    }
}
