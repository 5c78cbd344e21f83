package org.batterytrace.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/** Strict field access for the published JSON formats: unknown or missing members are errors. */
public final class Fields {
    private Fields() {
    }

    public static void requireExactly(JsonNode node, String what, String... names) {
        Set<String> allowed = Set.of(names);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new RecordFormatException(what + " has an unknown member '" + name + "'");
            }
        }
    }

    public static String text(JsonNode node, String name, String what) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new RecordFormatException(what + "." + name + " must be a string");
        }
        return value.textValue();
    }

    public static long integer(JsonNode node, String name, String what) {
        JsonNode value = node.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new RecordFormatException(what + "." + name + " must be an integer");
        }
        return value.longValue();
    }

    public static JsonNode object(JsonNode node, String name, String what) {
        JsonNode value = node.get(name);
        if (value == null || !value.isObject()) {
            throw new RecordFormatException(what + "." + name + " must be an object");
        }
        return value;
    }

    public static JsonNode array(JsonNode node, String name, String what) {
        JsonNode value = node.get(name);
        if (value == null || !value.isArray()) {
            throw new RecordFormatException(what + "." + name + " must be an array");
        }
        return value;
    }
}
