package dev.aimnext.operators.finetune.plan;

import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.memory.TrainingMemory;

import java.util.List;
import java.util.Locale;

import static dev.aimnext.operators.finetune.profile.memory.ServingPlanner.gib;

/**
 * How a job trains on its GPUs, as {@link TrainingSizer} chose it: the micro-batch each GPU runs,
 * the accumulation that makes up the spec's batch, gradient checkpointing, and the memory the
 * profile generator's formulas predict for that choice.
 *
 * @param requestedBatchSize the spec's {@code batchSize}; {@link #effectiveBatchSize()} is the closest the split reaches
 * @param memory predicted memory at the chosen micro-batch and checkpointing, by part
 * @param capacityBytes {@code resources.gpuMemoryGb} in bytes
 * @param usableBytes what is left for tensors after the runtime reserve and allocator headroom
 * @param targetModules PEFT target_modules resolved for the model's architecture; empty for full
 * @param checkpointingReason why checkpointing is on or off, for the printed plan
 */
public record TrainingPlan(
        String modelId,
        String modelType,
        FinetuneMethod method,
        int maxSeqLen,
        int gpus,
        int requestedBatchSize,
        int microBatchSize,
        int gradientAccumulationSteps,
        boolean gradientCheckpointing,
        String checkpointingReason,
        TrainingMemory memory,
        long capacityBytes,
        long usableBytes,
        List<String> targetModules) {

    public TrainingPlan {
        targetModules = List.copyOf(targetModules);
    }

    /** Sequences per optimizer step across all GPUs: micro-batch × accumulation × GPUs. */
    public int effectiveBatchSize() {
        return microBatchSize * gradientAccumulationSteps * gpus;
    }

    /** Tokens per optimizer step at full sequences (an upper bound when sequences are not packed). */
    public long tokensPerStep() {
        return (long) effectiveBatchSize() * maxSeqLen;
    }

    /** Predicted peak of allocated tensor memory per GPU, what {@code torch.cuda.max_memory_allocated} reports. */
    public long predictedPeakBytes() {
        return memory.totalBytes();
    }

    public double predictedPeakGib() {
        return predictedPeakBytes() / (double) (1L << 30);
    }

    /** The plan as the driver prints it before launching. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Training plan: %s (%s), %s, max_seq_len %d, %d GPU%s of %s%n",
                modelId, modelType, method.id(), maxSeqLen, gpus, gpus == 1 ? "" : "s", gib(capacityBytes)));
        out.append(String.format(Locale.ROOT, "  batch            %d = micro-batch %d x accumulation %d x %d GPU%s%s%n",
                effectiveBatchSize(), microBatchSize, gradientAccumulationSteps, gpus, gpus == 1 ? "" : "s",
                effectiveBatchSize() == requestedBatchSize ? "" : " (spec asked for " + requestedBatchSize + ")"));
        out.append(String.format(Locale.ROOT, "  tokens per step  %,d%n", tokensPerStep()));
        out.append(String.format(Locale.ROOT, "  checkpointing    %s (%s)%n", gradientCheckpointing ? "on" : "off",
                checkpointingReason));
        out.append(String.format(Locale.ROOT, "  trainable        %,d parameters%n", memory.trainableParameters()));
        if (!targetModules.isEmpty()) {
            out.append("  target modules   ").append(String.join(", ", targetModules)).append('\n');
        }
        out.append(String.format(Locale.ROOT,
                "  memory per GPU   %s predicted peak = weights %s + gradients %s + optimizer %s + activations %s;"
                        + " %s usable%n",
                gib(predictedPeakBytes()), gib(memory.weightBytes()), gib(memory.gradientBytes()),
                gib(memory.optimizerBytes()), gib(memory.activationBytes()), gib(usableBytes)));
        return out.toString();
    }
}
