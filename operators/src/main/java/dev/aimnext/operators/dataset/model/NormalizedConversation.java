package dev.aimnext.operators.dataset.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A dataset row after format normalization and validation: the common shape that dedup,
 * templating, tokenization and the output writers consume, whatever the input format was.
 *
 * @param rowId where the row came from ({@code file#row}), so rejects and the manifest can point back at it
 * @param sourceFormat the format the row was read as
 * @param messages the conversation to train on; for preference pairs, the chosen one
 * @param rejected for preference pairs, the rejected conversation; empty otherwise
 * @param toolsJson tool definitions that came with the row (LLaMA-Factory's {@code tools}), or {@code null}
 */
public record NormalizedConversation(
        String rowId,
        DatasetFormat sourceFormat,
        List<ChatMessage> messages,
        List<ChatMessage> rejected,
        String toolsJson) {

    public NormalizedConversation {
        Objects.requireNonNull(rowId, "rowId");
        Objects.requireNonNull(sourceFormat, "sourceFormat");
        messages = List.copyOf(messages);
        rejected = List.copyOf(rejected);
    }

    /**
     * Per-message weights, present only when the source gave at least one; messages without a
     * weight are {@code null} in the list, meaning "the trainer's default for that role".
     */
    public Optional<List<Double>> weights() {
        if (messages.stream().noneMatch(m -> m.weight() != null)) {
            return Optional.empty();
        }
        return Optional.of(messages.stream().map(ChatMessage::weight).toList());
    }

    /** A copy with the conversation cut to {@code keep} leading messages, used by truncation. */
    public NormalizedConversation withMessages(List<ChatMessage> keep) {
        return new NormalizedConversation(rowId, sourceFormat, keep, rejected, toolsJson);
    }
}
