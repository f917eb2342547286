package dev.kgadget.daemon.status;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API server's answers as plain maps, lists, strings, numbers and booleans, read with
 * jackson-core's streaming parser (the daemon does without databind: see {@link ModelJson}),
 * and the walks the daemon takes through them.
 */
public final class JsonTree {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {
    }

    /**
     * One JSON document: objects as maps (in document order), arrays as lists, integers as Long
     * (BigInteger past 64 bits), other numbers as Double.
     *
     * @throws IOException if it is not one JSON value
     */
    public static Object parse(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() == null) {
                throw new IOException("no JSON value");
            }
            Object value = value(p);
            if (p.nextToken() != null) {
                throw new IOException("more than one JSON value");
            }
            return value;
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, value(p));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(p));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected " + t + " at " + p.currentLocation());
        }
    }

    /** The value at {@code keys} below {@code node} (objects only), or null where one is missing. */
    public static Object at(Object node, String... keys) {
        Object here = node;
        for (String key : keys) {
            if (!(here instanceof Map<?, ?> map)) {
                return null;
            }
            here = map.get(key);
        }
        return here;
    }

    /** The text at {@code keys}: a string as it is, another scalar as its JSON text, "" if missing or not a scalar. */
    public static String text(Object node, String... keys) {
        Object v = at(node, keys);
        return v == null || v instanceof Map || v instanceof List ? "" : v.toString();
    }

    /** The elements of the array at {@code keys}; none if missing or not an array. */
    public static List<?> list(Object node, String... keys) {
        return at(node, keys) instanceof List<?> l ? l : List.of();
    }
}
