package dev.aimnext.operators.dataset.validate;

import dev.aimnext.operators.dataset.format.ConversationDraft;
import dev.aimnext.operators.dataset.format.DraftMessage;
import java.util.List;
import java.util.Objects;

/**
 * The conversation must fit the token limit. With {@link OverLengthPolicy#DROP} any excess rejects
 * the row; with {@link OverLengthPolicy#TRUNCATE} only a row whose first exchange (up to the first
 * assistant answer) is already too long is rejected, the rest is cut by
 * {@link ConversationTruncator}. Rows with non-text messages are left to the rules that report them.
 */
public final class MaxTokensRule implements ValidationRule {

    private final TokenCounter counter;
    private final int maxTokens;
    private final OverLengthPolicy policy;

    public MaxTokensRule(TokenCounter counter, int maxTokens, OverLengthPolicy policy) {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
        }
        this.counter = Objects.requireNonNull(counter, "counter");
        this.maxTokens = maxTokens;
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public OverLengthPolicy policy() {
        return policy;
    }

    @Override
    public ReasonCode reason() {
        return ReasonCode.OVER_MAX_TOKENS;
    }

    @Override
    public List<Violation> check(ConversationDraft row) {
        List<DraftMessage> messages = row.messages();
        if (messages.isEmpty() || messages.stream().anyMatch(m -> m.text() == null)) {
            return List.of();
        }
        long tokens = 0;
        for (DraftMessage m : messages) {
            tokens += counter.count(m.text());
            boolean firstAnswer = "assistant".equals(m.role()) && !m.toolCall();
            if (policy == OverLengthPolicy.TRUNCATE && firstAnswer) {
                return tokens > maxTokens
                        ? List.of(new Violation(reason(), "conversation: first exchange has " + tokens
                                + " tokens, over the limit of " + maxTokens + " even after truncation"))
                        : List.of();
            }
        }
        if (policy == OverLengthPolicy.DROP && tokens > maxTokens) {
            return List.of(new Violation(reason(), "conversation: " + tokens + " tokens, over the limit of " + maxTokens));
        }
        return List.of();
    }
}
