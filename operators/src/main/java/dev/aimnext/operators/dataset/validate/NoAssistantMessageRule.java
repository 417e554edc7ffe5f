package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import java.util.List;

/**
 * A conversation needs at least one assistant turn: the loss is computed on assistant tokens, so a
 * row without one contributes nothing but padding (OpenAI's
 * {@code example_missing_assistant_message}).
 */
public final class NoAssistantMessageRule implements ValidationRule {

    @Override
    public ReasonCode reason() {
        return ReasonCode.NO_ASSISTANT_MESSAGE;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        if (!row.messagesPresent() || row.messages().stream().anyMatch(m -> "assistant".equals(m.role()))) {
            return List.of();
        }
        return List.of(new Violation(reason(), "conversation: no assistant message among "
                + row.messages().size() + " message(s)"));
    }
}
