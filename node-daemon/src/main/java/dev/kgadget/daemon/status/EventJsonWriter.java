package dev.kgadget.daemon.status;

import dev.kgadget.api.result.EpochNanos;
import dev.kgadget.api.result.EventBuffer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;

/**
 * An event as one JSON object in UTF-8, the same bytes {@link ModelJson} gives its record, written
 * with nothing allocated per event: one generator and one byte buffer serve every event, numbers
 * are written unboxed, and a time's text is built from its second's, which is formatted once.
 * Not thread-safe: one per event stream.
 */
public final class EventJsonWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Bytes out = new Bytes();
    private final JsonGenerator g;
    /** "yyyy-MM-ddTHH:mm:ss" of {@link #second}, then room for ".nnnnnnnnnZ". */
    private char[] time = new char[40];
    private int secondLength;
    private long second = Long.MIN_VALUE;

    public EventJsonWriter() {
        try {
            g = FACTORY.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        g.setRootValueSeparator(null); // one object per write, nothing between them
    }

    /** Encodes {@code event}; its bytes are {@link #bytes()}[0, returned length) until the next call. */
    public int write(EventBuffer event) {
        out.size = 0;
        try {
            g.writeStartObject();
            for (int i = 0; i < event.size(); i++) {
                g.writeFieldName(event.key(i));
                switch (event.kind(i)) {
                    case LONG, INT -> g.writeNumber(event.number(i));
                    case TIME -> writeTime(event.number(i));
                    case OBJECT -> ModelJson.write(g, event.object(i));
                }
            }
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the target is memory: not expected
        }
        return out.size;
    }

    public byte[] bytes() {
        return out.buf;
    }

    /** As {@link Instant#toString()}: the fraction in groups of three digits, as many as it needs. */
    private void writeTime(long epochNanos) throws IOException {
        long s = EpochNanos.second(epochNanos);
        int nano = EpochNanos.nano(epochNanos);
        if (s != second) {
            String text = Instant.ofEpochSecond(s).toString(); // once per second: "...:ssZ"
            secondLength = text.length() - 1;
            if (secondLength + 11 > time.length) {
                time = new char[secondLength + 11];
            }
            text.getChars(0, secondLength, time, 0);
            second = s;
        }
        int n = secondLength;
        if (nano != 0) {
            int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
            int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
            time[n] = '.';
            for (int d = digits; d > 0; d--) {
                time[n + d] = (char) ('0' + value % 10);
                value /= 10;
            }
            n += digits + 1;
        }
        time[n++] = 'Z';
        g.writeString(time, 0, n);
    }

    /** The generator's target: a byte array kept from event to event, grown when one does not fit. */
    private static final class Bytes extends OutputStream {
        byte[] buf = new byte[512];
        int size;

        @Override
        public void write(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }
    }
}
