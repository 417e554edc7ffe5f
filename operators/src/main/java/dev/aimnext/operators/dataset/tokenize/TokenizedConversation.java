package dev.aimnext.operators.dataset.tokenize;

import dev.aimnext.operators.dataset.template.CharSpan;

import java.util.List;

/**
 * A conversation as the trainer will see it.
 *
 * @param renderedText the chat-template rendering, or {@code null} without a template
 * @param assistantSpans character spans of the assistant turns in {@code renderedText}; empty without a template
 * @param tokens tokens of the rendered text (or of the message text without a template)
 * @param lossTokens how many of them the loss trains on
 * @param inputIds token ids, or {@code null} when no ids are needed
 * @param labels per token its id or {@link TokenizedSequence#IGNORE_INDEX}; {@code null} with {@code inputIds}
 */
public record TokenizedConversation(String renderedText, List<CharSpan> assistantSpans, int tokens, int lossTokens,
        int[] inputIds, int[] labels) {

    public TokenizedConversation {
        assistantSpans = List.copyOf(assistantSpans);
    }
}
