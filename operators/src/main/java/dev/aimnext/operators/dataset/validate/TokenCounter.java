package dev.aimnext.operators.dataset.validate;

/**
 * Counts the tokens of a text for the max-length check. The job plugs in the model's own
 * tokenizer (tokenizer.json); tests and the dry-run estimate use simpler counters.
 */
@FunctionalInterface
public interface TokenCounter {

    int count(String text);

    /**
     * A tokenizer-free estimate of about four characters per token, OpenAI's rule of thumb for
     * English. Good enough to catch pathological rows before a tokenizer is configured.
     */
    static TokenCounter charEstimate() {
        return text -> (text.length() + 3) / 4;
    }
}
