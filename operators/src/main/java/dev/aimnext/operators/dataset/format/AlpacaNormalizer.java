package dev.aimnext.operators.dataset.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Normalizes alpaca rows: optional {@code system}, optional {@code history} of
 * {@code [instruction, response]} pairs, then {@code instruction} (plus {@code input}) as the user
 * turn and {@code output} as the assistant turn. GPTeacher names the answer {@code response}; it is
 * read the same way.
 *
 * <p>Instruction and input are joined with a newline, as LLaMA-Factory does, so a model fine-tuned
 * here sees the same prompt text as one fine-tuned there.
 */
public final class AlpacaNormalizer implements ConversationNormalizer {

    @Override
    public DatasetFormat format() {
        return DatasetFormat.ALPACA;
    }

    @Override
    public ConversationDraft normalize(String rowId, JsonNode row) {
        if (row == null || !row.isObject()) {
            return ConversationDraft.notAnObject(rowId, format());
        }
        if (!row.has("instruction")) {
            return ConversationDraft.withoutMessages(rowId, format());
        }
        List<DraftMessage> messages = new ArrayList<>();
        String system = JsonFields.text(row, "system");
        if (system != null && !system.isBlank()) {
            messages.add(DraftMessage.of("system", system));
        }
        JsonNode history = row.get("history");
        if (history != null && history.isArray()) {
            for (JsonNode pair : history) {
                messages.add(new DraftMessage("user", pair.has(0), textAt(pair, 0), null, false, List.of()));
                messages.add(new DraftMessage("assistant", pair.has(1), textAt(pair, 1), null, false, List.of()));
            }
        }
        String instruction = JsonFields.text(row, "instruction");
        String input = JsonFields.text(row, "input");
        String prompt = instruction == null || input == null || input.isBlank() ? instruction : instruction + "\n" + input;
        messages.add(new DraftMessage("user", true, prompt, null, false, List.of()));
        String answerKey = row.has("output") ? "output" : "response";
        if (row.has(answerKey)) {
            messages.add(new DraftMessage("assistant", true, JsonFields.text(row, answerKey), null, false, List.of()));
        }
        return new ConversationDraft(rowId, format(), true, true, messages, List.of(), null);
    }

    private static String textAt(JsonNode pair, int index) {
        JsonNode value = pair.get(index);
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
