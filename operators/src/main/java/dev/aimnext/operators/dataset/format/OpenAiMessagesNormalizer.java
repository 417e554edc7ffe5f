package dev.aimnext.operators.dataset.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Normalizes OpenAI chat fine-tuning rows ({@code {"messages": [{"role", "content", "weight"?}]}}).
 * Roles pass through unchanged except for the legacy names OpenAI still accepts ({@code function}
 * becomes {@code tool}, {@code developer} becomes {@code system}); an unknown role is kept as-is
 * so validation can name it. Preference pairs reuse {@link #messages(JsonNode)} for their lists.
 */
public final class OpenAiMessagesNormalizer implements ConversationNormalizer {

    /** The message keys OpenAI's fine-tuning format defines; anything else is reported. */
    static final Set<String> KNOWN_KEYS =
            Set.of("role", "content", "name", "weight", "function_call", "tool_calls", "tool_call_id");

    private static final Map<String, String> LEGACY_ROLES = Map.of("function", "tool", "developer", "system");

    @Override
    public DatasetFormat format() {
        return DatasetFormat.OPENAI_MESSAGES;
    }

    @Override
    public ConversationDraft normalize(String rowId, JsonNode row) {
        if (row == null || !row.isObject()) {
            return ConversationDraft.notAnObject(rowId, format());
        }
        JsonNode messages = row.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            return ConversationDraft.withoutMessages(rowId, format());
        }
        return new ConversationDraft(rowId, format(), true, true, messages(messages), List.of(),
                JsonFields.toolsJson(row));
    }

    /** Reads an array of OpenAI-style messages; a non-object element becomes a turn with no keys. */
    static List<DraftMessage> messages(JsonNode array) {
        List<DraftMessage> out = new ArrayList<>(array.size());
        for (JsonNode message : array) {
            out.add(message(message));
        }
        return out;
    }

    private static DraftMessage message(JsonNode message) {
        if (!message.isObject()) {
            return new DraftMessage(null, false, null, null, false, List.of());
        }
        String role = JsonFields.text(message, "role");
        if (role != null) {
            role = LEGACY_ROLES.getOrDefault(role, role);
        }
        JsonNode toolCalls = message.has("tool_calls") ? message.get("tool_calls") : message.get("function_call");
        boolean toolCall = toolCalls != null && !toolCalls.isNull();
        String text = contentText(message.get("content"));
        if (toolCall && (text == null || text.isBlank())) {
            text = toolCalls.toString();
        }
        JsonNode weight = message.get("weight");
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = message.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KNOWN_KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        return new DraftMessage(role, message.has("content"), text,
                weight != null && weight.isNumber() ? weight.doubleValue() : null, toolCall, unknown);
    }

    /** Content is a string, or (newer API) an array of parts whose text parts are concatenated. */
    private static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                JsonNode partText = part.get("text");
                if (partText == null || !partText.isTextual()) {
                    return null;
                }
                text.append(partText.textValue());
            }
            return text.toString();
        }
        return null;
    }
}
