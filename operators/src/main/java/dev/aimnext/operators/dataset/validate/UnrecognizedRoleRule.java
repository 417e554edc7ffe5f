package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import dev.aimnext.operators.dataset.model.Role;
import java.util.List;

/**
 * A role must map to system, user, assistant or tool; a template cannot render any other.
 * Role names are schema values rather than row content, so the message repeats them.
 */
public final class UnrecognizedRoleRule implements ValidationRule {

    @Override
    public ReasonCode reason() {
        return ReasonCode.UNRECOGNIZED_ROLE;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        return MessagePositions.check(row, reason(), (position, m) ->
                m.role() == null || Role.fromWireName(m.role()).isPresent()
                        ? null
                        : position + ": unrecognized role '" + abbreviate(m.role()) + "'");
    }

    private static String abbreviate(String role) {
        return role.length() <= 32 ? role : role.substring(0, 32) + "...";
    }
}
