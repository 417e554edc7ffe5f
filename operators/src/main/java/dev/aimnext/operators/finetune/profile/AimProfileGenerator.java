package dev.aimnext.operators.finetune.profile;

import dev.aimnext.operators.finetune.profile.memory.ProfileDoesNotFitException;
import dev.aimnext.operators.finetune.profile.memory.ServingPlan;
import dev.aimnext.operators.finetune.profile.memory.ServingPlanner;
import dev.aimnext.operators.finetune.profile.memory.TrainingMemory;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.ParameterCount;

import java.util.Locale;

import static dev.aimnext.operators.finetune.profile.memory.ServingPlanner.gib;

/**
 * Turns a model shape and a {@link ProfileRequest} into an {@link AimProfile} sized to the
 * partition. Fine-tuning and serving share the partition (one after the other), so each must fit on
 * its own; the first that does not is reported with what it needs against what the partition has.
 */
public final class AimProfileGenerator {

    private AimProfileGenerator() {}

    /** @throws ProfileDoesNotFitException when training or serving needs more than the partition */
    public static AimProfile generate(ModelShape shape, ProfileRequest request) {
        ParameterCount params = ParameterCount.of(shape);
        TrainingMemory training = TrainingMemory.estimate(shape, params, request.method(), request.dtype(),
                request.lora(), request.training());
        long partition = request.partitionBytes();
        if (training.totalBytes() > partition) {
            throw new ProfileDoesNotFitException(String.format(Locale.ROOT,
                    "%s fine-tuning of %s needs %s (weights %s, gradients %s, AdamW states %s, activations %s at "
                            + "%d tokens x %d with gradient checkpointing %s) but the partition has %s; %s",
                    request.method().id(), request.modelId(), gib(training.totalBytes()), gib(training.weightBytes()),
                    gib(training.gradientBytes()), gib(training.optimizerBytes()), gib(training.activationBytes()),
                    request.training().sequenceLength(), request.training().microBatchSize(),
                    request.training().gradientCheckpointing() ? "on" : "off", gib(partition),
                    switch (request.method()) {
                        case FULL -> "try --method lora or qlora, or a larger partition";
                        case LORA -> "try --method qlora, a shorter sequence, or a larger partition";
                        case QLORA -> "try a shorter sequence, a smaller rank, or a larger partition";
                    }));
        }
        ServingPlan serving = new ServingPlanner(request.gpuMemoryUtilization()).plan(request.modelId(), shape, params,
                request.method(), request.dtype(), request.lora(), partition, request.maxModelLen());
        return new AimProfile(request, shape, params, training, serving);
    }
}
