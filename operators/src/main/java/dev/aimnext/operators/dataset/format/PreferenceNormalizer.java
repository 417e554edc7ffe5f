package dev.aimnext.operators.dataset.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Normalizes preference pairs to the chosen conversation, keeping the rejected one alongside so a
 * DPO trainer can use both while SFT, dedup and validation treat the row like any conversation.
 *
 * <p>Two layouts are read: {@code chosen}/{@code rejected} as full message lists (torchtune,
 * Anthropic HH in messages form), and {@code prompt} with {@code chosen}/{@code rejected} as
 * strings (TRL's plain form), where the prompt becomes the shared user turn.
 */
public final class PreferenceNormalizer implements ConversationNormalizer {

    @Override
    public DatasetFormat format() {
        return DatasetFormat.PREFERENCE;
    }

    @Override
    public ConversationDraft normalize(String rowId, JsonNode row) {
        if (row == null || !row.isObject()) {
            return ConversationDraft.notAnObject(rowId, format());
        }
        JsonNode chosen = row.get("chosen");
        JsonNode rejected = row.get("rejected");
        if (chosen == null || rejected == null) {
            return ConversationDraft.withoutMessages(rowId, format());
        }
        if (chosen.isArray() && rejected.isArray() && !chosen.isEmpty()) {
            return new ConversationDraft(rowId, format(), true, true,
                    OpenAiMessagesNormalizer.messages(chosen), OpenAiMessagesNormalizer.messages(rejected),
                    JsonFields.toolsJson(row));
        }
        if (chosen.isTextual() && rejected.isTextual() && row.has("prompt")) {
            DraftMessage prompt = new DraftMessage("user", true, JsonFields.text(row, "prompt"), null, false, List.of());
            List<DraftMessage> chosenTurns = new ArrayList<>(List.of(prompt, DraftMessage.of("assistant", chosen.textValue())));
            List<DraftMessage> rejectedTurns = List.of(prompt, DraftMessage.of("assistant", rejected.textValue()));
            return new ConversationDraft(rowId, format(), true, true, chosenTurns, rejectedTurns, null);
        }
        return ConversationDraft.withoutMessages(rowId, format());
    }
}
