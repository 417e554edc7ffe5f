package dev.aimnext.operators.dataset.validate;

/** What to do with a conversation longer than the token limit. */
public enum OverLengthPolicy {
    /** Reject the row with {@link ReasonCode#OVER_MAX_TOKENS}. */
    DROP,
    /**
     * Keep the longest prefix that fits and ends on an assistant answer; reject only when not even
     * the first exchange fits. Cutting inside a turn would train on half an answer.
     */
    TRUNCATE
}
