package dev.aimnext.operators.finetune.spec;

import dev.aimnext.operators.finetune.profile.model.WeightDtype;

import java.util.OptionalInt;

/**
 * The training hyperparameters of a job after the template merge. {@code batchSize} is the
 * effective batch per optimizer step across all GPUs; how it splits into micro-batches and
 * gradient accumulation is the sizer's choice, not the spec's.
 *
 * @param learningRate peak learning rate
 * @param batchSize sequences per optimizer step, all GPUs together
 * @param epochs passes over the train split
 * @param maxSeqLen the longest training sequence in tokens
 * @param gradientCheckpointing forced on, forced off, or chosen by the sizer
 * @param seed data order, initialization and dropout seed
 * @param warmupRatio share of the steps spent warming up
 * @param lrScheduler {@code cosine}, {@code linear} or {@code constant}
 * @param weightDecay AdamW weight decay
 * @param maxSteps stop after this many optimizer steps (0 for no limit: epochs decide)
 * @param evalEverySteps eval-split loss every N optimizer steps
 * @param logEverySteps a STEP event every N optimizer steps
 * @param precision compute dtype: bf16 or fp32
 * @param lora the adapter; {@code null} for method full
 */
public record JobHyperparameters(
        double learningRate,
        int batchSize,
        int epochs,
        int maxSeqLen,
        GradientCheckpointing gradientCheckpointing,
        long seed,
        double warmupRatio,
        String lrScheduler,
        double weightDecay,
        int maxSteps,
        int evalEverySteps,
        int logEverySteps,
        WeightDtype precision,
        LoraHyperparameters lora) {

    /** The step limit, when the spec sets one. */
    public OptionalInt stepLimit() {
        return maxSteps > 0 ? OptionalInt.of(maxSteps) : OptionalInt.empty();
    }
}
