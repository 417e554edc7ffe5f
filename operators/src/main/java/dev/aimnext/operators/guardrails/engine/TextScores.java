package dev.aimnext.operators.guardrails.engine;

import java.util.Map;

/**
 * Scores of one text, the maximum over its windows. Keys are the pack's labels for a sequence
 * classifier; for an encoder with heads, a single-label head reports under its name (e.g.
 * {@code prompt_injection}) and a multi-label head under {@code name/label}.
 *
 * @param scores score per key, in the pack's label or head order
 * @param windows how many model windows the text took
 */
public record TextScores(Map<String, Float> scores, int windows) {

    /** Score under {@code key}; fails when the pack has no such label or head. */
    public float score(String key) {
        Float s = scores.get(key);
        if (s == null) {
            throw new IllegalArgumentException("no score '" + key + "'; known: " + scores.keySet());
        }
        return s;
    }
}
