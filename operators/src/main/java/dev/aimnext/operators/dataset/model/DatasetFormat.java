package dev.aimnext.operators.dataset.model;

/**
 * The raw dataset layouts the preparation job accepts. Every one of them is normalized to a list of
 * chat messages, so everything downstream (validation, dedup, templating) handles a single shape.
 */
public enum DatasetFormat {
    /** {@code instruction}/{@code input}/{@code output} (or GPTeacher's {@code response}), optional {@code system} and {@code history}. */
    ALPACA,
    /** {@code conversations} of {@code {from, value}} turns, as FastChat and LLaMA-Factory write them. */
    SHAREGPT,
    /** OpenAI chat fine-tuning rows: {@code messages} of {@code {role, content}}, optional per-message {@code weight}. */
    OPENAI_MESSAGES,
    /** Plain {@code prompt}/{@code completion} pairs. */
    COMPLETION,
    /** Preference pairs: {@code chosen} and {@code rejected} conversations (DPO-style). */
    PREFERENCE
}
