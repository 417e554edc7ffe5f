package dev.aimnext.operators.finetune.profile;

import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.memory.ServingPlanner;
import dev.aimnext.operators.finetune.profile.memory.TrainingSetup;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;

import java.util.Objects;
import java.util.Set;

/**
 * What a profile is generated for: a model, how it is fine-tuned and the partition it must fit.
 *
 * @param partitionGb partition size in GiB (binary, as amd-smi and the driver report VRAM)
 * @param maxModelLen context to serve, or 0 for the longest that fits
 * @param lora the adapter for lora and qlora; ignored for full
 */
public record ProfileRequest(
        String modelId,
        FinetuneMethod method,
        WeightDtype dtype,
        double partitionGb,
        long maxModelLen,
        LoraSpec lora,
        TrainingSetup training,
        double gpuMemoryUtilization,
        int partitionId,
        String qosPriority) {

    static final Set<WeightDtype> COMPUTE_DTYPES = Set.of(WeightDtype.FP32, WeightDtype.BF16, WeightDtype.FP16);
    static final Set<String> QOS_PRIORITIES = Set.of("low", "medium", "high");

    public ProfileRequest {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(training, "training");
        if (!COMPUTE_DTYPES.contains(dtype)) {
            throw new IllegalArgumentException("--dtype must be fp32, bf16 or fp16, got " + dtype.id()
                    + " (the 4-bit base of --method qlora is implied)");
        }
        if (!(partitionGb > 0)) {
            throw new IllegalArgumentException("--partition-gb must be positive, got " + partitionGb);
        }
        if (maxModelLen < 0) {
            throw new IllegalArgumentException("--max-model-len must be positive, got " + maxModelLen);
        }
        if (!QOS_PRIORITIES.contains(qosPriority)) {
            throw new IllegalArgumentException("qos priority must be low, medium or high, got " + qosPriority);
        }
    }

    /** A request with the defaults: LoRA rank 16 over all linear layers, checkpointing on, utilization 0.90. */
    public static ProfileRequest of(String modelId, FinetuneMethod method, WeightDtype dtype, double partitionGb) {
        return new ProfileRequest(modelId, method, dtype, partitionGb, 0, LoraSpec.ofRank(16), TrainingSetup.DEFAULT,
                ServingPlanner.DEFAULT_GPU_MEMORY_UTILIZATION, 0, "medium");
    }

    public ProfileRequest withMaxModelLen(long tokens) {
        return new ProfileRequest(modelId, method, dtype, partitionGb, tokens, lora, training, gpuMemoryUtilization,
                partitionId, qosPriority);
    }

    public long partitionBytes() {
        return (long) Math.floor(partitionGb * (1L << 30));
    }
}
