package dev.aimnext.operators.finetune.plan;

import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec;
import dev.aimnext.operators.finetune.spec.JobHyperparameters;
import dev.aimnext.operators.finetune.spec.LoraHyperparameters;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Renders the trainer config (docs/FINETUNE-PROTOCOL.md section 1) from a spec and the sizer's
 * plan. The spec gives what to learn and how fast; the plan gives how it is split on the GPU
 * (micro-batch, accumulation, checkpointing) and the target modules already resolved for the
 * model's architecture, so the trainer does no sizing and no name mapping of its own.
 */
public final class TrainerConfigWriter {

    /** bitsandbytes' QLoRA settings, as in the QLoRA paper and the profile generator's NF4 sizing. */
    static final String QUANT_TYPE = "nf4";

    private TrainerConfigWriter() {}

    /**
     * @param runDir the run folder ({@code runs/RUN_ID}), written as an absolute path
     * @param dataset the prepared train and eval files
     * @param resumeFrom the checkpoint folder to resume from, or {@code null} for a fresh start
     * @return the config as pretty-printed JSON
     */
    public static String write(FineTuningJobSpec spec, TrainingPlan plan, String runId, Path runDir,
            PreparedDataset dataset, Path resumeFrom) {
        return config(spec, plan, runId, runDir, dataset, resumeFrom).toJson();
    }

    /** The same config as a value, for a driver that rewrites {@code resume_from} per attempt. */
    public static TrainerConfig config(FineTuningJobSpec spec, TrainingPlan plan, String runId, Path runDir,
            PreparedDataset dataset, Path resumeFrom) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(dataset, "dataset");
        JobHyperparameters h = spec.hyperparameters();
        TrainerConfig.Lora lora = null;
        if (spec.method().usesAdapter()) {
            LoraHyperparameters l = h.lora();
            lora = new TrainerConfig.Lora(l.rank(), l.alpha(), l.dropout(), plan.targetModules());
        }
        TrainerConfig.Qlora qlora = spec.method() == FinetuneMethod.QLORA
                ? new TrainerConfig.Qlora(QUANT_TYPE, true, h.precision().torchName())
                : null;
        return new TrainerConfig(
                runId,
                spec.task().id(),
                new TrainerConfig.BaseModel(spec.baseModel().modelId(), absolute(spec.baseModel().path()), plan.modelType()),
                spec.method().id(),
                new TrainerConfig.Dataset(absolute(dataset.train()), absolute(dataset.eval()), dataset.format(),
                        dataset.contentHash()),
                new TrainerConfig.Hyperparameters(h.learningRate(), h.epochs(), plan.microBatchSize(),
                        plan.gradientAccumulationSteps(), h.maxSeqLen(), h.warmupRatio(), h.lrScheduler(),
                        h.weightDecay(), plan.gradientCheckpointing(), h.seed(), h.precision() == WeightDtype.BF16,
                        h.stepLimit().isPresent() ? h.stepLimit().getAsInt() : null),
                lora,
                qlora,
                absolute(runDir),
                absolute(resumeFrom),
                new TrainerConfig.Checkpoint(spec.checkpoint().everySteps(), spec.checkpoint().keepLast(),
                        spec.checkpoint().keepBest()),
                h.evalEverySteps(),
                h.logEverySteps());
    }

    private static String absolute(Path path) {
        return path == null ? null : path.toAbsolutePath().normalize().toString();
    }
}
