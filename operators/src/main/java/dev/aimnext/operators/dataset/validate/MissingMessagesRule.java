package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import java.util.List;

/**
 * The row must carry its format's conversation: a non-empty {@code messages} or
 * {@code conversations} array, alpaca's {@code instruction}, a prompt or completion, or a
 * chosen/rejected pair.
 */
public final class MissingMessagesRule implements ValidationRule {

    @Override
    public ReasonCode reason() {
        return ReasonCode.MISSING_MESSAGES;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        if (!row.object() || row.messagesPresent()) {
            return List.of();
        }
        String expected = switch (row.format()) {
            case OPENAI_MESSAGES -> "a non-empty 'messages' array";
            case SHAREGPT -> "a non-empty 'conversations' array";
            case ALPACA -> "an 'instruction'";
            case COMPLETION -> "'prompt' and 'completion'";
            case PREFERENCE -> "'chosen' and 'rejected' message lists";
        };
        return List.of(new Violation(reason(), "row: no conversation, expected " + expected));
    }
}
