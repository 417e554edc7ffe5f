package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import java.util.List;

/** Every message needs a role and a content key (OpenAI's {@code message_missing_key}). */
public final class MessageMissingKeyRule implements ValidationRule {

    @Override
    public ReasonCode reason() {
        return ReasonCode.MESSAGE_MISSING_KEY;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        return MessagePositions.check(row, reason(), (position, m) -> {
            if (m.role() == null && !m.contentKeyPresent()) {
                return position + ": missing role and content";
            }
            if (m.role() == null) {
                return position + ": missing role";
            }
            return m.contentKeyPresent() ? null : position + ": missing content key";
        });
    }
}
