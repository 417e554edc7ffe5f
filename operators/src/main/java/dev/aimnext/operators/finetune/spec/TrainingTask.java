package dev.aimnext.operators.finetune.spec;

import java.util.Locale;

/** What the trainer learns: next-token prediction, or a classification head on an encoder (guardrails). */
public enum TrainingTask {
    CAUSAL_LM,
    SEQUENCE_CLASSIFICATION;

    /** The name in the spec and in the trainer config, e.g. {@code causal_lm}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
