package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import dev.aimnext.operators.dataset.format.DraftMessage;
import dev.aimnext.operators.dataset.model.Role;
import java.util.List;

/**
 * Turns must alternate the way chat templates expect: an optional system message first, then
 * user and assistant in turn, where an assistant may call tools and tool results go back to the
 * assistant. Several templates (Llama 2, Mistral, Gemma) raise an error on two user turns in a
 * row, and a second system message in the middle is silently dropped by most of them, so either
 * would surface only when training starts.
 *
 * <p>Only the first break is reported: after it, the positions of later turns say nothing useful.
 * Rows with missing or unknown roles are left to the rules that report those.
 */
public final class RoleAlternationRule implements ValidationRule {

    @Override
    public ReasonCode reason() {
        return ReasonCode.ROLES_NOT_ALTERNATING;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        List<DraftMessage> messages = row.messages();
        if (messages.stream().anyMatch(m -> Role.fromWireName(m.role()).isEmpty())) {
            return List.of();
        }
        Role previous = null;
        for (int i = 0; i < messages.size(); i++) {
            Role role = Role.fromWireName(messages.get(i).role()).orElseThrow();
            String problem = problem(i, previous, role);
            if (problem != null) {
                return List.of(new Violation(reason(), "message " + (i + 1) + ": " + problem));
            }
            previous = role;
        }
        return List.of();
    }

    private static String problem(int index, Role previous, Role role) {
        return switch (role) {
            case SYSTEM -> index == 0 ? null : "a system message is only allowed first";
            case USER -> previous == null || previous == Role.SYSTEM || previous == Role.ASSISTANT
                    ? null : "user follows " + previous.wireName();
            case ASSISTANT -> previous == Role.USER || previous == Role.TOOL
                    ? null
                    : previous == null || previous == Role.SYSTEM
                            ? "assistant before any user turn"
                            : "assistant follows assistant";
            case TOOL -> previous == Role.ASSISTANT || previous == Role.TOOL
                    ? null : "tool result follows " + (previous == null ? "nothing" : previous.wireName());
        };
    }
}
