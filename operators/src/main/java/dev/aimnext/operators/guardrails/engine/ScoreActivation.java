package dev.aimnext.operators.guardrails.engine;

/**
 * Turns logits into scores. HF's {@code problem_type} decides: {@code multi_label_classification}
 * scores each label on its own with a sigmoid; anything else (single-label, the HF default for
 * more than one label) is a softmax over the labels.
 */
public enum ScoreActivation {
    SOFTMAX,
    SIGMOID;

    /** The activation for an HF {@code problem_type}; null or absent means single-label. */
    public static ScoreActivation forProblemType(String problemType) {
        return "multi_label_classification".equals(problemType) ? SIGMOID : SOFTMAX;
    }

    /** Scores of one row of logits; the input is left unchanged. */
    public float[] apply(float[] logits) {
        float[] out = new float[logits.length];
        if (this == SIGMOID) {
            for (int i = 0; i < logits.length; i++) {
                out[i] = sigmoid(logits[i]);
            }
            return out;
        }
        // Subtract the max so exp never overflows on large logits.
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double e = Math.exp(logits[i] - max);
            out[i] = (float) e;
            sum += e;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (out[i] / sum);
        }
        return out;
    }

    static float sigmoid(double z) {
        return (float) (1.0 / (1.0 + Math.exp(-z)));
    }
}
