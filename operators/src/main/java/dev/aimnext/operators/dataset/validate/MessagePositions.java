package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import dev.aimnext.operators.dataset.format.DraftMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Walks every message of a row with a 1-based, human position label; the rejected side of a
 * preference pair is labelled "rejected message N" so both halves get the per-message checks.
 */
final class MessagePositions {

    private MessagePositions() {
    }

    /** Applies {@code check} to each message; a non-null result becomes a violation of {@code reason}. */
    static List<Violation> check(ConversationDraft row, ReasonCode reason,
            BiFunction<String, DraftMessage, String> check) {
        List<Violation> out = new ArrayList<>();
        walk(row.messages(), "message ", reason, check, out);
        walk(row.rejected(), "rejected message ", reason, check, out);
        return out;
    }

    private static void walk(List<DraftMessage> messages, String label, ReasonCode reason,
            BiFunction<String, DraftMessage, String> check, List<Violation> out) {
        for (int i = 0; i < messages.size(); i++) {
            String position = label + (i + 1);
            String problem = check.apply(position, messages.get(i));
            if (problem != null) {
                out.add(new Violation(reason, problem));
            }
        }
    }
}
