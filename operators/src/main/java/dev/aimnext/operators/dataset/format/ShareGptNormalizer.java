package dev.aimnext.operators.dataset.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Normalizes ShareGPT rows ({@code {"conversations": [{"from", "value"}], "system"?, "tools"?}}).
 *
 * <p>Speaker names follow FastChat and LLaMA-Factory: {@code human}/{@code user} become user,
 * {@code gpt}/{@code assistant} (and the {@code chatgpt}/{@code bing}/{@code bard} names found in
 * scraped ShareGPT dumps) become assistant. LLaMA-Factory's tool roles are kept apart:
 * {@code function_call} is an assistant turn that calls a tool, {@code observation} is the tool's
 * answer, so a template can render both the way the model was trained to see them.
 */
public final class ShareGptNormalizer implements ConversationNormalizer {

    private static final Set<String> KNOWN_KEYS = Set.of("from", "value");

    private static final Map<String, String> ROLES = Map.ofEntries(
            Map.entry("human", "user"),
            Map.entry("user", "user"),
            Map.entry("gpt", "assistant"),
            Map.entry("assistant", "assistant"),
            Map.entry("chatgpt", "assistant"),
            Map.entry("bing", "assistant"),
            Map.entry("bard", "assistant"),
            Map.entry("system", "system"),
            Map.entry("function_call", "assistant"),
            Map.entry("observation", "tool"),
            Map.entry("tool", "tool"));

    @Override
    public DatasetFormat format() {
        return DatasetFormat.SHAREGPT;
    }

    @Override
    public ConversationDraft normalize(String rowId, JsonNode row) {
        if (row == null || !row.isObject()) {
            return ConversationDraft.notAnObject(rowId, format());
        }
        JsonNode turns = row.get("conversations");
        if (turns == null || !turns.isArray() || turns.isEmpty()) {
            return ConversationDraft.withoutMessages(rowId, format());
        }
        List<DraftMessage> messages = new ArrayList<>(turns.size() + 1);
        String system = JsonFields.text(row, "system");
        if (system != null && !system.isBlank()) {
            messages.add(DraftMessage.of("system", system));
        }
        for (JsonNode turn : turns) {
            messages.add(turn(turn));
        }
        return new ConversationDraft(rowId, format(), true, true, messages, List.of(), JsonFields.toolsJson(row));
    }

    private static DraftMessage turn(JsonNode turn) {
        if (!turn.isObject()) {
            return new DraftMessage(null, false, null, null, false, List.of());
        }
        String from = JsonFields.text(turn, "from");
        String role = from == null ? null : ROLES.getOrDefault(from, from);
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> it = turn.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KNOWN_KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        return new DraftMessage(role, turn.has("value"), JsonFields.text(turn, "value"), null,
                "function_call".equals(from), unknown);
    }
}
