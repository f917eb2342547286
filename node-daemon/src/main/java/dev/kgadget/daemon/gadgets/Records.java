package dev.kgadget.daemon.gadgets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Reading fixed-layout kernel records (see bpf/include/gadgets.h). */
final class Records {
    /* System.nanoTime() is CLOCK_MONOTONIC on Linux, the clock of bpf_ktime_get_ns(). */
    private static final long EPOCH_MINUS_MONOTONIC_NS = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

    private Records() {
    }

    static long monotonicToEpochNanos(long monotonicNs) {
        return EPOCH_MINUS_MONOTONIC_NS + monotonicNs;
    }

    /** A NUL-terminated string in a fixed field of {@code max} bytes. */
    static String cString(ByteBuffer data, int offset, int max) {
        int n = cLength(data, offset, max);
        byte[] bytes = new byte[n];
        data.get(offset, bytes, 0, n);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The length of the NUL-terminated string in a fixed field of {@code max} bytes. */
    static int cLength(ByteBuffer data, int offset, int max) {
        int n = 0;
        while (n < max && data.get(offset + n) != 0) {
            n++;
        }
        return n;
    }

    static long u32(ByteBuffer data, int offset) {
        return Integer.toUnsignedLong(data.getInt(offset));
    }
}
