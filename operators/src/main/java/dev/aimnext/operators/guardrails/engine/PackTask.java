package dev.aimnext.operators.guardrails.engine;

import java.util.Locale;

/** What a model pack's ONNX graph computes, as named by {@code task} in {@code aim-pack.json}. */
public enum PackTask {
    /** An HF export with {@code logits} of shape [batch, labels]. */
    SEQUENCE_CLASSIFICATION,
    /** An encoder's {@code last_hidden_state}, pooled, then small heads from the pack's JSON files. */
    ENCODER_HEADS,
    /** Per-token logits for BIO tags. Loaded, but not yet served by {@link InferenceEngine}. */
    TOKEN_CLASSIFICATION;

    static PackTask parse(String name, String file) {
        for (PackTask t : values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(name)) {
                return t;
            }
        }
        throw new ModelPackException(file + ": unknown task '" + name
                + "'; expected sequence_classification, encoder_heads or token_classification");
    }
}
