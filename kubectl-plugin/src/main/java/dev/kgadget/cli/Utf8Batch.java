package dev.kgadget.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a batch of rows to UTF-8 in buffers kept from batch to batch: under an event storm the
 * CLI writes 100-200 MB of rows a second, and a String plus a byte array per 64 KiB batch were
 * most of what it still allocated. Like String.getBytes, a lone surrogate becomes '?'. Not
 * thread-safe.
 */
final class Utf8Batch {
    private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    private CharBuffer chars = CharBuffer.allocate(0);
    private ByteBuffer bytes = ByteBuffer.allocate(0);

    /** The bytes of {@code text}, from 0 to the returned buffer's position; valid until the next call. */
    ByteBuffer encode(StringBuilder text) {
        int n = text.length();
        if (chars.capacity() < n) {
            chars = CharBuffer.allocate(n);
            bytes = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, 3L * n)); // a char is at most 3 bytes
        }
        chars.clear();
        text.getChars(0, n, chars.array(), 0); // a bulk copy, so the encoder runs its array loop
        chars.limit(n);
        bytes.clear();
        encoder.reset();
        CoderResult r = encoder.encode(chars, bytes, true);
        if (r.isUnderflow()) {
            r = encoder.flush(bytes);
        }
        if (!r.isUnderflow()) {
            throw new IllegalStateException("UTF-8 of " + n + " chars outgrew " + bytes.capacity() + " bytes: " + r);
        }
        return bytes;
    }
}
