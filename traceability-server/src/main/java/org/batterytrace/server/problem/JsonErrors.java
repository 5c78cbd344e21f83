package org.batterytrace.server.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Pattern;

/** Parser errors in the client's terms: the JSON path and the JSON type expected, never a Java class name. */
final class JsonErrors {
    /** {@code org.example.Foo}, {@code java.util.HashSet<org.example.Role>}: kept to the simple name. */
    private static final Pattern QUALIFIED = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)");
    private static final Pattern SOURCE = Pattern.compile("\\s*\\(?(?:start marker at )?\\[Source: [^\\]]*\\]\\)?");

    private JsonErrors() {
    }

    static String describe(JsonProcessingException e) {
        String where = e instanceof JsonMappingException m && !m.getPath().isEmpty() ? path(m) + ": " : "";
        if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
            return where + "'" + f.getValue() + "' is not one of " + Arrays.toString(f.getTargetType().getEnumConstants());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + "expected " + jsonType(m.getTargetType()) + describeToken(m.getOriginalMessage());
        }
        String message = SOURCE.matcher(String.valueOf(e.getOriginalMessage())).replaceAll("");
        JsonLocation at = e.getLocation();
        return where + withoutClassNames(message) + (at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")" : "");
    }

    static String withoutClassNames(String text) {
        return text == null ? null : QUALIFIED.matcher(text).replaceAll("$1");
    }

    private static String describeToken(String message) {
        int from = message == null ? -1 : message.indexOf("from ");
        return from < 0 ? "" : ", got " + withoutClassNames(SOURCE.matcher(message.substring(from + 5)).replaceAll("")).split("\n")[0];
    }

    private static String path(JsonMappingException m) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : m.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "body" : path.toString();
    }

    private static String jsonType(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (type == String.class || type == Character.class || type == char.class || java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || com.fasterxml.jackson.databind.node.ObjectNode.class.isAssignableFrom(type) || type.isRecord()) {
            return "an object";
        }
        return "a JSON value";
    }
}
