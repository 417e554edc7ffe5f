package dev.aimnext.operators.dataset.model;

import java.util.Objects;

/**
 * One validated turn of a normalized conversation.
 *
 * @param role the canonical role
 * @param content the text; for a tool call it is the call as JSON, which is what templates render
 * @param weight OpenAI's per-message training weight (0 or 1), or {@code null} when the source had none
 * @param toolCall whether this assistant turn calls a tool rather than answering the user
 */
public record ChatMessage(Role role, String content, Double weight, boolean toolCall) {

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage of(Role role, String content) {
        return new ChatMessage(role, content, null, false);
    }
}
