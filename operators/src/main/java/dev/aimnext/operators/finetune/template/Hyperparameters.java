package dev.aimnext.operators.finetune.template;

/**
 * The optimizer and schedule of a training run, as the trainer passes them to Transformers'
 * {@code TrainingArguments}.
 *
 * @param learningRate peak learning rate
 * @param epochs passes over the train split
 * @param microBatchSize sequences per device step
 * @param gradientAccumulationSteps steps per optimizer update
 * @param maxSeqLen the longest training sequence, in tokens
 * @param warmupRatio share of the steps spent warming up the learning rate
 * @param lrScheduler {@code cosine}, {@code linear} or {@code constant}
 * @param weightDecay AdamW weight decay
 * @param gradientCheckpointing trade compute for activation memory
 * @param seed the data order and initialization seed
 */
public record Hyperparameters(double learningRate, int epochs, int microBatchSize, int gradientAccumulationSteps,
        int maxSeqLen, double warmupRatio, String lrScheduler, double weightDecay, boolean gradientCheckpointing,
        long seed) {

    /** Sequences per optimizer update on one device. */
    public int effectiveBatchSize() {
        return microBatchSize * gradientAccumulationSteps;
    }
}
