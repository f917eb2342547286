package dev.kgadget.daemon.gadgets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The last text a decoder read at each of its string fields, handed back while the bytes repeat.
 * In an event storm the same process opens the same file, or execs the same binary, over and
 * over: comparing the record's bytes with the last ones in place saves the copy, the UTF-8
 * decoding and two allocations per field per event. One per decoder (a decoder serves one run,
 * whose records come one at a time).
 */
final class RepeatedText {
    private final byte[][] bytes;
    private final int[] lengths;
    private final String[] texts;

    /** @param fields the decoder's string fields, numbered from 0 */
    RepeatedText(int fields) {
        bytes = new byte[fields][];
        lengths = new int[fields];
        texts = new String[fields];
    }

    /** A NUL-terminated string in a fixed field of at most {@code max} bytes. */
    String cString(int field, ByteBuffer data, int offset, int max) {
        return text(field, data, offset, Records.cLength(data, offset, max));
    }

    /** The {@code length} bytes at {@code offset}, as UTF-8. */
    String text(int field, ByteBuffer data, int offset, int length) {
        byte[] last = bytes[field];
        if (texts[field] != null && lengths[field] == length && sameBytes(data, offset, last, length)) {
            return texts[field];
        }
        if (last == null || last.length < length) {
            last = new byte[Math.max(length, 16)];
            bytes[field] = last;
        }
        data.get(offset, last, 0, length);
        lengths[field] = length;
        texts[field] = new String(last, 0, length, StandardCharsets.UTF_8);
        return texts[field];
    }

    private static boolean sameBytes(ByteBuffer data, int offset, byte[] last, int length) {
        for (int i = 0; i < length; i++) {
            if (data.get(offset + i) != last[i]) {
                return false;
            }
        }
        return true;
    }
}
