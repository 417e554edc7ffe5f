package dev.aimnext.operators.finetune.profile.memory;

/**
 * The knobs of a training step that size its activations: sequence length, micro-batch and
 * whether each decoder layer is recomputed in the backward pass (gradient checkpointing).
 */
public record TrainingSetup(int sequenceLength, int microBatchSize, boolean gradientCheckpointing) {

    /** 2048 tokens (LLaMA-Factory's cutoff_len), micro-batch 1, checkpointing on as Axolotl and LLaMA-Factory default. */
    public static final TrainingSetup DEFAULT = new TrainingSetup(2048, 1, true);

    public TrainingSetup {
        if (sequenceLength < 1 || microBatchSize < 1) {
            throw new IllegalArgumentException("training sequence length and micro-batch must be positive, got "
                    + sequenceLength + " and " + microBatchSize);
        }
    }

    public TrainingSetup withCheckpointing(boolean on) {
        return new TrainingSetup(sequenceLength, microBatchSize, on);
    }
}
