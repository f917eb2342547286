package dev.kgadget.api.result;

import com.fasterxml.jackson.annotation.JsonAnyGetter;

import java.util.Map;

/**
 * One decoded kernel event: typed fields in the order of the gadget's columns
 * (numbers as Long/Integer, text as String, lists as List).
 */
public record EventRecord(Map<String, Object> fields) {
    public EventRecord {
        fields = EventFields.copyOf(fields);
    }

    public Object get(String key) {
        return fields.get(key);
    }

    @Override
    @JsonAnyGetter
    public Map<String, Object> fields() {
        return fields;
    }
}
