package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import java.util.List;

/**
 * A content key that is present must hold text (OpenAI's {@code missing_content}); JSON null or a
 * number is not trainable (an OpenAI tool call without content already carries its call as the
 * text, see the normalizer). An absent key is
 * {@link MessageMissingKeyRule}'s finding and a blank string {@link EmptyTextRule}'s, so each
 * problem is reported once.
 */
public final class MissingContentRule implements ValidationRule {

    @Override
    public ReasonCode reason() {
        return ReasonCode.MISSING_CONTENT;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        return MessagePositions.check(row, reason(), (position, m) ->
                m.contentKeyPresent() && m.text() == null
                        ? position + ": content is null or not text"
                        : null);
    }
}
