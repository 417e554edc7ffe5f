package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.model.ChatMessage;
import dev.aimnext.operators.dataset.model.NormalizedConversation;
import dev.aimnext.operators.dataset.model.Role;
import java.util.List;
import java.util.Optional;

/**
 * Cuts a conversation to a token budget at turn boundaries: the result is the longest prefix that
 * fits and ends on an assistant answer (not a tool call), so every kept assistant turn is whole.
 * Counts are of message text only; template overhead is added when templates are applied.
 */
public final class ConversationTruncator {

    private final TokenCounter counter;
    private final int maxTokens;

    public ConversationTruncator(TokenCounter counter, int maxTokens) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        }
        this.counter = counter;
        this.maxTokens = maxTokens;
    }

    /** The conversation itself when it fits, a truncated copy, or empty when nothing fits. */
    public Optional<NormalizedConversation> fit(NormalizedConversation conversation) {
        List<ChatMessage> messages = conversation.messages();
        long total = 0;
        int keep = 0;
        for (int i = 0; i < messages.size(); i++) {
            total += counter.count(messages.get(i).content());
            if (total > maxTokens) {
                break;
            }
            ChatMessage m = messages.get(i);
            if (m.role() == Role.ASSISTANT && !m.toolCall()) {
                keep = i + 1;
            }
        }
        if (keep == 0) {
            return Optional.empty();
        }
        return Optional.of(keep == messages.size() ? conversation : conversation.withMessages(messages.subList(0, keep)));
    }
}
