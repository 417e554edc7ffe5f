package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import java.util.List;

/**
 * A message may only have the keys its format defines. An extra key usually means a typo
 * ({@code contnet}) or a different schema, and the data it holds would be silently ignored.
 */
public final class UnrecognizedKeyRule implements ValidationRule {

    @Override
    public ReasonCode reason() {
        return ReasonCode.UNRECOGNIZED_KEY;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        return MessagePositions.check(row, reason(), (position, m) -> m.unrecognizedKeys().isEmpty()
                ? null
                : position + ": unrecognized key(s) " + String.join(", ", m.unrecognizedKeys()));
    }
}
