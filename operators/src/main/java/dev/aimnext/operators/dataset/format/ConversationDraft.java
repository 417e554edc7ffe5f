package dev.aimnext.operators.dataset.format;

import dev.aimnext.operators.dataset.model.DatasetFormat;
import java.util.List;
import java.util.Objects;

/**
 * A row mapped to messages but not yet validated. Normalizers never throw on bad rows: they
 * describe what they saw here, and the validation rules turn that into reasons.
 *
 * @param rowId where the row came from
 * @param format the format the row was read as
 * @param object whether the row is a JSON object at all
 * @param messagesPresent whether the row has the format's conversation fields (for example
 *     {@code messages} as a non-empty array, or alpaca's {@code instruction})
 * @param messages the turns found; empty when {@code messagesPresent} is false
 * @param rejected the rejected turns of a preference pair; empty otherwise
 * @param toolsJson tool definitions carried by the row, or {@code null}
 */
public record ConversationDraft(
        String rowId,
        DatasetFormat format,
        boolean object,
        boolean messagesPresent,
        List<DraftMessage> messages,
        List<DraftMessage> rejected,
        String toolsJson) {

    public ConversationDraft {
        Objects.requireNonNull(rowId, "rowId");
        Objects.requireNonNull(format, "format");
        messages = List.copyOf(messages);
        rejected = List.copyOf(rejected);
    }

    static ConversationDraft notAnObject(String rowId, DatasetFormat format) {
        return new ConversationDraft(rowId, format, false, false, List.of(), List.of(), null);
    }

    static ConversationDraft withoutMessages(String rowId, DatasetFormat format) {
        return new ConversationDraft(rowId, format, true, false, List.of(), List.of(), null);
    }
}
