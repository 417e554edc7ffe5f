package dev.aimnext.operators.guardrails.engine.image;

import java.util.Map;

/**
 * Scores of one image under an image-classification pack: one per label of the pack's
 * {@code id2label}, a softmax over them unless config.json's {@code problem_type} is
 * {@code multi_label_classification} (then a sigmoid each).
 *
 * @param scores score per label, in id order
 */
public record ImageScores(Map<String, Float> scores) {

    /** Score of {@code label}; fails when the pack has no such label. */
    public float score(String label) {
        Float s = scores.get(label);
        if (s == null) {
            throw new IllegalArgumentException("no label '" + label + "'; known: " + scores.keySet());
        }
        return s;
    }

    /** The label with the highest score. */
    public String topLabel() {
        return scores.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }
}
