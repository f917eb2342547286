package dev.kgadget.cli.render;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Writing and padding for the text renderers, which emit "\n" on every platform so golden files hold. */
final class TextOut {
    private TextOut() {
    }

    static void line(Appendable out, String text) {
        try {
            out.append(text).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String padRight(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
