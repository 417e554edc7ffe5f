package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import java.util.List;

/** A row must be a JSON object; a bare string, number or array carries no fields to train on. */
public final class NotAnObjectRule implements ValidationRule {

    @Override
    public ReasonCode reason() {
        return ReasonCode.NOT_AN_OBJECT;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        return row.object() ? List.of() : List.of(new Violation(reason(), "row: not a JSON object"));
    }
}
