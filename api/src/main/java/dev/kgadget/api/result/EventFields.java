package dev.kgadget.api.result;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An event's fields: immutable, in insertion order, held in two arrays. A decoder builds one per
 * kernel event, up to millions a second, where a LinkedHashMap's hashing, node per entry and
 * resizing were the biggest cost of the whole event path (a third of the local CLI's samples
 * in an opensnoop storm). Events have a dozen fields, so a lookup scans them, comparing the
 * (usually identical, interned) key references first.
 */
public final class EventFields extends AbstractMap<String, Object> {
    private final String[] keys;
    private final Object[] values;
    private final int size;

    private EventFields(String[] keys, Object[] values, int size) {
        this.keys = keys;
        this.values = values;
        this.size = size;
    }

    public static Builder builder() {
        return new Builder(16);
    }

    /** The fields of {@code map}, in its iteration order. */
    public static EventFields copyOf(Map<String, ?> map) {
        if (map instanceof EventFields f) {
            return f;
        }
        Builder b = new Builder(Math.max(map.size(), 1));
        map.forEach(b::put);
        return b.build();
    }

    private int indexOf(Object key) {
        return FieldKeys.indexOf(keys, size, key);
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < size;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= size) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /**
     * Collects fields in order, each key once: decoders name their fields with literals, so a
     * second put of a key is a bug, caught where assertions run (the tests), and not paid for
     * per event in production.
     */
    public static final class Builder {
        private String[] keys;
        private Object[] values;
        private int size;

        private Builder(int capacity) {
            keys = new String[capacity];
            values = new Object[capacity];
        }

        public Builder put(String key, Object value) {
            assert key != null && !Arrays.asList(keys).subList(0, size).contains(key) : "field " + key + " put twice";
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            keys[size] = key;
            values[size++] = value;
            return this;
        }

        /** The fields so far; the builder must not be used afterwards. */
        public EventFields build() {
            EventFields f = new EventFields(keys, values, size);
            keys = null;
            values = null;
            return f;
        }

        public EventRecord record() {
            return new EventRecord(build());
        }
    }
}
