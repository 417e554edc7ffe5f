package dev.aimnext.operators.finetune.plan;

import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.memory.TrainingMemory;
import dev.aimnext.operators.finetune.profile.memory.TrainingSetup;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.ParameterCount;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec;
import dev.aimnext.operators.finetune.spec.GradientCheckpointing;
import dev.aimnext.operators.finetune.spec.JobHyperparameters;

import java.util.List;
import java.util.Locale;

import static dev.aimnext.operators.finetune.profile.memory.ServingPlanner.gib;

/**
 * Chooses micro-batch size, gradient accumulation and gradient checkpointing for a job so that the
 * profile generator's training memory ({@link TrainingMemory}) fits {@code resources.gpuMemoryGb}.
 *
 * <ul>
 *   <li>Checkpointing stays off unless micro-batch 1 does not fit without it (it recomputes every
 *       layer in the backward pass, about a third more compute), or the spec forces it either way.
 *   <li>The micro-batch is the largest that fits, among those whose split
 *       micro × accumulation × GPUs comes closest to the spec's {@code batchSize}.
 *   <li>Usable memory is the GPU's less {@value #RUNTIME_RESERVE_GIB} GiB for what the allocator does
 *       not see (HIP/CUDA context, RCCL buffers, kernels) and {@value #ALLOCATOR_HEADROOM_PERCENT}% for
 *       the caching allocator's fragmentation.
 * </ul>
 */
public final class TrainingSizer {

    static final int RUNTIME_RESERVE_GIB = 1;
    static final int ALLOCATOR_HEADROOM_PERCENT = 5;

    private TrainingSizer() {}

    /** @throws PlanDoesNotFitException when even micro-batch 1 with checkpointing (or as forced) does not fit */
    public static TrainingPlan plan(FineTuningJobSpec spec, ModelShape shape) {
        Sizing s = new Sizing(spec, shape);
        int perGpuBatch = ceilDiv(spec.hyperparameters().batchSize(), spec.resources().gpus());
        GradientCheckpointing mode = spec.hyperparameters().gradientCheckpointing();
        boolean checkpointing;
        int largest;
        String reason;
        if (mode == GradientCheckpointing.AUTO) {
            int withoutCheckpointing = s.largestFitting(false, perGpuBatch);
            checkpointing = withoutCheckpointing == 0;
            largest = checkpointing ? s.largestFitting(true, perGpuBatch) : withoutCheckpointing;
            reason = checkpointing
                    ? "micro-batch 1 without it needs " + gib(s.memory(1, false).totalBytes()) + ", "
                            + gib(s.usable) + " usable"
                    : "micro-batch 1 fits without it";
        } else {
            checkpointing = mode == GradientCheckpointing.ON;
            largest = s.largestFitting(checkpointing, perGpuBatch);
            reason = "set by the spec";
        }
        if (largest == 0) {
            throw new PlanDoesNotFitException(s.doesNotFit(checkpointing, mode));
        }
        int micro = closestSplit(spec.hyperparameters().batchSize(), spec.resources().gpus(), largest);
        int accumulation = accumulation(spec.hyperparameters().batchSize(), spec.resources().gpus(), micro);
        List<String> targets = spec.method().usesAdapter() ? spec.hyperparameters().lora().targetModules(shape) : List.of();
        return new TrainingPlan(spec.baseModel().modelId(), shape.modelType(), spec.method(),
                spec.hyperparameters().maxSeqLen(), spec.resources().gpus(), spec.hyperparameters().batchSize(), micro,
                accumulation, checkpointing, reason, s.memory(micro, checkpointing), s.capacity, s.usable, targets);
    }

    /** Of micro-batches 1..largest, the one whose split is closest to {@code batch}; the larger on a tie. */
    static int closestSplit(int batch, int gpus, int largest) {
        int best = 1;
        long bestDistance = Long.MAX_VALUE;
        for (int micro = 1; micro <= largest; micro++) {
            long distance = Math.abs((long) micro * accumulation(batch, gpus, micro) * gpus - batch);
            if (distance <= bestDistance) {
                best = micro;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** The accumulation, at least 1, that brings micro × accumulation × GPUs nearest to {@code batch}. */
    static int accumulation(int batch, int gpus, int micro) {
        long perStep = (long) micro * gpus;
        long lower = Math.max(1, batch / perStep);
        long upper = lower + 1;
        return (int) (Math.abs(lower * perStep - batch) <= Math.abs(upper * perStep - batch) ? lower : upper);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The job's fixed inputs to the memory formulas. */
    private static final class Sizing {
        final FineTuningJobSpec spec;
        final ModelShape shape;
        final ParameterCount params;
        final LoraSpec lora;
        final long capacity;
        final long usable;

        Sizing(FineTuningJobSpec spec, ModelShape shape) {
            this.spec = spec;
            this.shape = shape;
            this.params = ParameterCount.of(shape);
            // TrainingMemory ignores the adapter for full fine-tuning but wants one all the same.
            this.lora = spec.method().usesAdapter() ? spec.hyperparameters().lora().loraSpec(shape) : LoraSpec.ofRank(1);
            this.capacity = spec.resources().gpuMemoryBytes();
            this.usable = capacity - ((long) RUNTIME_RESERVE_GIB << 30) - capacity * ALLOCATOR_HEADROOM_PERCENT / 100;
        }

        TrainingMemory memory(int micro, boolean checkpointing) {
            JobHyperparameters h = spec.hyperparameters();
            return TrainingMemory.estimate(shape, params, spec.method(), h.precision(), lora,
                    new TrainingSetup(h.maxSeqLen(), micro, checkpointing));
        }

        /** The largest micro-batch up to {@code limit} that fits, 0 when not even 1 does (memory grows with it). */
        int largestFitting(boolean checkpointing, int limit) {
            int micro = 0;
            while (micro < limit && memory(micro + 1, checkpointing).totalBytes() <= usable) {
                micro++;
            }
            return micro;
        }

        String doesNotFit(boolean checkpointing, GradientCheckpointing mode) {
            TrainingMemory m = memory(1, checkpointing);
            String hint = mode == GradientCheckpointing.OFF && memory(1, true).totalBytes() <= usable
                    ? "set hyperparameters.gradientCheckpointing to auto or true (it would need "
                            + gib(memory(1, true).totalBytes()) + ")"
                    : switch (spec.method()) {
                        case FULL -> "use method lora or qlora, a shorter maxSeqLen, or a larger GPU";
                        case LORA -> "use method qlora, a shorter maxSeqLen, or a larger GPU";
                        case QLORA -> "use a shorter maxSeqLen, a smaller loraRank or fewer targetModules, or a larger GPU";
                    };
            return String.format(Locale.ROOT,
                    "%s: %s fine-tuning of %s at maxSeqLen %d needs %s per GPU at micro-batch 1 with gradient "
                            + "checkpointing %s (weights %s, gradients %s, optimizer %s, activations %s), but "
                            + "resources.gpuMemoryGb %s leaves %s usable (%d GiB runtime reserve, %d%% allocator "
                            + "headroom); %s",
                    spec.name(), spec.method().id(), spec.baseModel().modelId(), spec.hyperparameters().maxSeqLen(),
                    gib(m.totalBytes()), checkpointing ? "on" : "off", gib(m.weightBytes()), gib(m.gradientBytes()),
                    gib(m.optimizerBytes()), gib(m.activationBytes()),
                    java.math.BigDecimal.valueOf(spec.resources().gpuMemoryGb()).stripTrailingZeros().toPlainString(),
                    gib(usable), RUNTIME_RESERVE_GIB, ALLOCATOR_HEADROOM_PERCENT, hint);
        }
    }
}
