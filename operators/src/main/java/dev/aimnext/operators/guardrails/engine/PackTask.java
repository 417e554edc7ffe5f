package dev.aimnext.operators.guardrails.engine;

import java.util.Locale;

/** What a model pack's ONNX graph computes, as named by {@code task} in {@code aim-pack.json}. */
public enum PackTask {
    /** An HF export with {@code logits} of shape [batch, labels]. */
    SEQUENCE_CLASSIFICATION,
    /** An encoder's {@code last_hidden_state}, pooled, then small heads from the pack's JSON files. */
    ENCODER_HEADS,
    /**
     * Per-token BIO tags: an HF export with {@code logits} [batch, seq, labels], or an encoder with
     * one token head file. Served by {@link InferenceEngine#entities}.
     */
    TOKEN_CLASSIFICATION,
    /**
     * An HF image classifier: {@code pixel_values [batch, 3, H, W]} in, {@code logits} out, with
     * {@code preprocessor_config.json} in place of {@code tokenizer.json}. Served by
     * {@code engine.image.ImageClassifier}, not by {@link InferenceEngine}.
     */
    IMAGE_CLASSIFICATION;

    /** Whether packs of this task read text, and so carry a {@code tokenizer.json}. */
    public boolean readsText() {
        return this != IMAGE_CLASSIFICATION;
    }

    static PackTask parse(String name, String file) {
        for (PackTask t : values()) {
            if (t.name().toLowerCase(Locale.ROOT).equals(name)) {
                return t;
            }
        }
        throw new ModelPackException(file + ": unknown task '" + name
                + "'; expected one of " + java.util.Arrays.stream(values())
                        .map(t -> t.name().toLowerCase(Locale.ROOT)).toList());
    }
}
