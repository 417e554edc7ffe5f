package dev.aimnext.schemas.json;

import dev.aimnext.schemas.codec.EventDecodingException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Typed, strict access to one JSON object of a known event type: every read names its field, every
 * field must be read, and a value of the wrong JSON type is an error rather than a coercion. Call
 * {@link #rejectUnread()} after the last read so that a misspelt or unexpected field is dead-lettered
 * instead of being dropped silently.
 *
 * <p>Messages name the event, the field path and the expected type, never the value.
 */
final class StrictJsonObject {

    private final ObjectNode node;
    private final String path;
    private final Set<String> read = new HashSet<>();

    StrictJsonObject(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The root object, or WRONG_TYPE when the document is not an object. */
    static StrictJsonObject root(JsonNode root, String eventName) throws EventDecodingException {
        if (root == null || !root.isObject()) {
            String got = root == null ? "nothing" : root.getNodeType().name().toLowerCase();
            throw new EventDecodingException("WRONG_TYPE", eventName + " must be a JSON object, got " + got);
        }
        return new StrictJsonObject((ObjectNode) root, eventName);
    }

    String requiredString(String field) throws EventDecodingException {
        JsonNode value = required(field);
        if (!value.isTextual()) {
            throw wrongType(field, "a string", value);
        }
        return value.asText();
    }

    String optionalString(String field, String fallback) throws EventDecodingException {
        JsonNode value = optional(field);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string", value);
        }
        return value.asText();
    }

    double requiredDouble(String field) throws EventDecodingException {
        JsonNode value = required(field);
        if (!value.isNumber()) {
            throw wrongType(field, "a number", value);
        }
        return value.asDouble();
    }

    /** A number or JSON null; absent and null both give null. */
    Double optionalDouble(String field) throws EventDecodingException {
        JsonNode value = optional(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            throw wrongType(field, "a number or null", value);
        }
        return value.asDouble();
    }

    int requiredInt(String field) throws EventDecodingException {
        JsonNode value = required(field);
        // 3.0 is accepted as 3, but 3.5 tokens or 2^40 tokens are not an int.
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            throw wrongType(field, "an integer within 32 bits", value);
        }
        return value.asInt();
    }

    long requiredLong(String field) throws EventDecodingException {
        JsonNode value = required(field);
        if (!value.isNumber() || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw wrongType(field, "an integer within 64 bits", value);
        }
        return value.asLong();
    }

    /** The elements of an array field that may be absent or null (then empty). */
    Iterable<JsonNode> optionalArray(String field) throws EventDecodingException {
        JsonNode value = optional(field);
        if (value == null) {
            return Set.of();
        }
        if (!value.isArray()) {
            throw wrongType(field, "an array", value);
        }
        return value;
    }

    /** An element of an array, as an object with its own path for messages. */
    StrictJsonObject element(String field, int index, JsonNode element) throws EventDecodingException {
        String where = path + "." + field + "[" + index + "]";
        if (!element.isObject()) {
            throw new EventDecodingException(
                    "WRONG_TYPE", where + " must be an object, got " + element.getNodeType().name().toLowerCase());
        }
        return new StrictJsonObject((ObjectNode) element, where);
    }

    /** @throws EventDecodingException UNKNOWN_FIELD naming the first field no read asked for */
    void rejectUnread() throws EventDecodingException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!read.contains(name)) {
                throw new EventDecodingException(
                        "UNKNOWN_FIELD", "unknown field '" + safeName(name) + "' in " + path);
            }
        }
    }

    private JsonNode required(String field) throws EventDecodingException {
        read.add(field);
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new EventDecodingException("MISSING_FIELD", path + "." + field + " is missing");
        }
        return value;
    }

    private JsonNode optional(String field) {
        read.add(field);
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    private EventDecodingException wrongType(String field, String expected, JsonNode got) {
        return new EventDecodingException(
                "WRONG_TYPE",
                path + "." + field + " must be " + expected + ", got " + got.getNodeType().name().toLowerCase());
    }

    /**
     * Field names come from the sender, so only a short, plain form goes into the message. A loop,
     * not a regex: untrusted text never meets java.util.regex in this project.
     */
    static String safeName(String name) {
        StringBuilder cleaned = new StringBuilder(32);
        for (int i = 0; i < name.length() && cleaned.length() < 32; i++) {
            char c = name.charAt(i);
            boolean plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            cleaned.append(plain ? c : '?');
        }
        return cleaned.toString();
    }
}
