package dev.aimnext.operators.dataset.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Normalizes {@code {"prompt", "completion"}} rows (OpenAI's legacy fine-tuning format) to one
 * user turn and one assistant turn, so completion data can be trained with a chat template too.
 */
public final class CompletionNormalizer implements ConversationNormalizer {

    @Override
    public DatasetFormat format() {
        return DatasetFormat.COMPLETION;
    }

    @Override
    public ConversationDraft normalize(String rowId, JsonNode row) {
        if (row == null || !row.isObject()) {
            return ConversationDraft.notAnObject(rowId, format());
        }
        if (!row.has("prompt") && !row.has("completion")) {
            return ConversationDraft.withoutMessages(rowId, format());
        }
        List<DraftMessage> messages = new ArrayList<>(2);
        messages.add(new DraftMessage("user", row.has("prompt"), JsonFields.text(row, "prompt"), null, false, List.of()));
        if (row.has("completion")) {
            messages.add(DraftMessage.of("assistant", JsonFields.text(row, "completion")));
        }
        return new ConversationDraft(rowId, format(), true, true, messages, List.of(), null);
    }
}
