package dev.aimnext.operators.guardrails.engine;

/**
 * One model window of one text: special tokens included, not padded.
 *
 * @param textIndex which text of the request the window belongs to
 * @param ids token ids
 * @param typeIds token type ids (segment ids), same length as {@code ids}
 */
public record TokenWindow(int textIndex, long[] ids, long[] typeIds) {

    /** Tokens in the window. */
    public int length() {
        return ids.length;
    }
}
