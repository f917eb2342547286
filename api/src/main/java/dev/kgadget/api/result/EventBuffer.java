package dev.kgadget.api.result;

import java.time.Instant;
import java.util.Arrays;

/**
 * One event as a decoder writes it, cleared and reused for the next: numbers and times are held
 * unboxed, so decoding an event and printing its row allocate nothing. The event path hands it
 * to its sinks for the length of one call; what keeps an event takes {@link #toRecord()}.
 *
 * <p>Fields are in insertion order, each key once (decoders name them with literals: the keys
 * are compared by reference first, like {@link EventFields}). Not thread-safe: one per run,
 * used on the thread that drains the run's events.
 */
public final class EventBuffer {
    /** What a field holds: a long in {@link #numbers} (as a Long, an Integer, or epoch nanoseconds), or an object. */
    public enum Kind { LONG, INT, TIME, OBJECT }

    private static final Kind[] KINDS = Kind.values();

    private String[] keys = new String[16];
    private byte[] kinds = new byte[16];
    private long[] numbers = new long[16];
    private Object[] objects = new Object[16];
    private int size;
    /** The record of the fields as they are, once asked for: every keeper of this event shares it. */
    private EventRecord record;

    /** Empties it for the next event. */
    public EventBuffer clear() {
        // the slots keep the last event's objects until overwritten: at most one event's text,
        // which the decoders' RepeatedText holds anyway, and never read (kind says what a slot is)
        size = 0;
        record = null;
        return this;
    }

    public EventBuffer putLong(String key, long value) {
        return putNumber(key, Kind.LONG, value);
    }

    public EventBuffer putInt(String key, int value) {
        return putNumber(key, Kind.INT, value);
    }

    /** A time, as nanoseconds since the epoch ({@link EpochNanos}). */
    public EventBuffer putTime(String key, long epochNanos) {
        return putNumber(key, Kind.TIME, epochNanos);
    }

    private EventBuffer putNumber(String key, Kind kind, long value) {
        int i = add(key, kind); // first: it may replace the arrays
        numbers[i] = value;
        return this;
    }

    /** Any other value (text, a list, a flag), or a boxed one as a record holds it: Long, Integer or Instant are unboxed. */
    public EventBuffer put(String key, Object value) {
        if (value instanceof Long l) {
            return putLong(key, l);
        }
        if (value instanceof Integer i) {
            return putInt(key, i);
        }
        if (value instanceof Instant t) {
            return putTime(key, EpochNanos.of(t));
        }
        int i = add(key, Kind.OBJECT);
        objects[i] = value;
        return this;
    }

    /** Clears this and puts the fields of {@code event}. */
    public EventBuffer load(EventRecord event) {
        clear();
        event.fields().forEach(this::put);
        return this;
    }

    private int add(String key, Kind kind) {
        assert key != null && indexOf(key) < 0 : "field " + key + " put twice";
        if (size == keys.length) {
            int n = size * 2;
            keys = Arrays.copyOf(keys, n);
            kinds = Arrays.copyOf(kinds, n);
            numbers = Arrays.copyOf(numbers, n);
            objects = Arrays.copyOf(objects, n);
        }
        record = null;
        keys[size] = key;
        kinds[size] = (byte) kind.ordinal();
        return size++;
    }

    public int size() {
        return size;
    }

    /** The position of {@code key}, or -1 when the event does not have it. */
    public int indexOf(String key) {
        return FieldKeys.indexOf(keys, size, key);
    }

    public String key(int i) {
        return keys[check(i)];
    }

    public Kind kind(int i) {
        return KINDS[kinds[check(i)]];
    }

    /** The number of a LONG or INT field, or the epoch nanoseconds of a TIME one. */
    public long number(int i) {
        if (kind(i) == Kind.OBJECT) {
            throw new IllegalStateException("field " + keys[i] + " is not a number");
        }
        return numbers[i];
    }

    /** The value of an OBJECT field. */
    public Object object(int i) {
        if (kind(i) != Kind.OBJECT) {
            throw new IllegalStateException("field " + keys[i] + " is a number");
        }
        return objects[i];
    }

    /** The value as a record holds it: Long, Integer, Instant or the object. */
    public Object value(int i) {
        long n = numbers[check(i)];
        return switch (kind(i)) {
            case LONG -> n;
            case INT -> (int) n;
            case TIME -> EpochNanos.toInstant(n);
            case OBJECT -> objects[i];
        };
    }

    /** A lasting copy of the fields as they are now (made once, shared until the next change). */
    public EventRecord toRecord() {
        if (record == null) {
            EventFields.Builder b = EventFields.builder();
            for (int i = 0; i < size; i++) {
                b.put(keys[i], value(i));
            }
            record = b.record();
        }
        return record;
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("field " + i + " of " + size);
        }
        return i;
    }
}
