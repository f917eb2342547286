package dev.kgadget.api.result;

/**
 * Finding a field among an event's keys. Decoders name fields with literals and renderers look
 * them up with the catalog's, both interned, so a pass comparing references finds them; a
 * second pass with equals() serves keys that came from elsewhere (parsed JSON). Events have a
 * dozen fields: a scan beats hashing.
 */
final class FieldKeys {
    private FieldKeys() {
    }

    /** The position of {@code key} among the first {@code size} of {@code keys}, or -1. */
    static int indexOf(String[] keys, int size, Object key) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                return i;
            }
        }
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
