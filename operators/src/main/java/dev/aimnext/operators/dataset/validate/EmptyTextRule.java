package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import java.util.List;

/**
 * Text must remain after stripping whitespace. Blank turns teach a model to emit nothing and, on
 * the user side, give it nothing to condition on.
 */
public final class EmptyTextRule implements ValidationRule {

    @Override
    public ReasonCode reason() {
        return ReasonCode.EMPTY_TEXT;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        return MessagePositions.check(row, reason(), (position, m) ->
                m.text() != null && m.text().strip().isEmpty() && !m.toolCall()
                        ? position + ": text is empty after stripping whitespace"
                        : null);
    }
}
