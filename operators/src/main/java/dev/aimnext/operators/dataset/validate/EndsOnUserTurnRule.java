package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import dev.aimnext.operators.dataset.format.DraftMessage;
import java.util.List;

/**
 * A conversation must not end on a user turn (or on a tool result, which is input to the model
 * too): the trailing turn has no answer to learn from, and packing would train the model to stop
 * right after a question.
 */
public final class EndsOnUserTurnRule implements ValidationRule {

    @Override
    public ReasonCode reason() {
        return ReasonCode.ENDS_ON_USER_TURN;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        List<DraftMessage> messages = row.messages();
        if (messages.isEmpty()) {
            return List.of();
        }
        String last = messages.get(messages.size() - 1).role();
        if ("user".equals(last) || "tool".equals(last)) {
            return List.of(new Violation(reason(), "message " + messages.size()
                    + ": conversation ends on a " + last + " turn with no assistant reply"));
        }
        return List.of();
    }
}
