package dev.aimnext.operators.dataset.format;

import com.fasterxml.jackson.databind.JsonNode;

/** Small reading helpers shared by the normalizers of this package. */
final class JsonFields {

    private JsonFields() {
    }

    /** The field as text, or {@code null} when absent, JSON null or not a string. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    /**
     * The field as a tools definition: LLaMA-Factory stores {@code tools} as a JSON string, other
     * sources as an array; both are kept as JSON text.
     */
    static String toolsJson(JsonNode node) {
        JsonNode tools = node.get("tools");
        if (tools == null || tools.isNull()) {
            return null;
        }
        String json = tools.isTextual() ? tools.textValue() : tools.toString();
        return json.isBlank() ? null : json;
    }
}
