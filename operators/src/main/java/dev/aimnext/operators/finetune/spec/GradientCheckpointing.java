package dev.aimnext.operators.finetune.spec;

/**
 * Whether decoder layers are recomputed in the backward pass. {@link #AUTO} leaves the choice to the
 * sizer, which turns it on only when micro-batch 1 does not fit without it: it costs about a third
 * more compute per step.
 */
public enum GradientCheckpointing {
    AUTO,
    ON,
    OFF
}
