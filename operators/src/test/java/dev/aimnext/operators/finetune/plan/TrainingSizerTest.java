package dev.aimnext.operators.finetune.plan;

import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.memory.TrainingMemory;
import dev.aimnext.operators.finetune.profile.memory.TrainingSetup;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.ParameterCount;
import dev.aimnext.operators.finetune.profile.model.PublishedConfigs;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec;
import dev.aimnext.operators.finetune.spec.SpecWorkspace;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingSizerTest {

    private static final long GIB = 1L << 30;
    private static final ModelShape LLAMA_8B = PublishedConfigs.shape("llama-3.1-8b");

    @TempDir
    Path dir;

    private SpecWorkspace ws;

    @BeforeEach
    void setUp() {
        ws = new SpecWorkspace(dir);
        ws.model("llama", "llama-3.1-8b");
    }

    private TrainingPlan plan(double gib, String... hyper) {
        return plan("lora", gib, hyper);
    }

    private TrainingPlan plan(String method, double gib, String... hyper) {
        FineTuningJobSpec spec = ws.parse("job.yaml", SpecWorkspace.llamaChat(List.of(hyper), gib)
                .replace("template: chat", "template: chat\n  method: " + method));
        return TrainingSizer.plan(spec, LLAMA_8B);
    }

    /** The profile generator's formula for the same setting, to check the plan against. */
    private static TrainingMemory memory(FinetuneMethod method, int micro, boolean checkpointing) {
        return TrainingMemory.estimate(LLAMA_8B, ParameterCount.of(LLAMA_8B), method,
                dev.aimnext.operators.finetune.profile.model.WeightDtype.BF16,
                dev.aimnext.operators.finetune.profile.adapter.LoraSpec.ofRank(16),
                new TrainingSetup(4096, micro, checkpointing));
    }

    private static long usable(double gib) {
        long capacity = (long) (gib * GIB);
        return capacity - GIB - capacity * 5 / 100;
    }

    @Test
    void llamaLoraOn48GiBRunsWithoutCheckpointing() {
        TrainingPlan plan = plan(48);

        assertThat(plan.gradientCheckpointing()).isFalse();
        assertThat(plan.checkpointingReason()).isEqualTo("micro-batch 1 fits without it");
        assertThat(plan.microBatchSize()).isEqualTo(1);
        assertThat(plan.gradientAccumulationSteps()).isEqualTo(16);
        assertThat(plan.effectiveBatchSize()).isEqualTo(16);
        assertThat(plan.tokensPerStep()).isEqualTo(16L * 4096);
        assertThat(plan.predictedPeakBytes()).isEqualTo(memory(FinetuneMethod.LORA, 1, false).totalBytes())
                .isLessThanOrEqualTo(plan.usableBytes());
        assertThat(memory(FinetuneMethod.LORA, 2, false).totalBytes()).as("micro-batch 2 would not fit")
                .isGreaterThan(usable(48));
        assertThat(plan.usableBytes()).isEqualTo(usable(48));
        assertThat(plan.predictedPeakGib()).isBetween(38.9, 39.1);
        assertThat(plan.targetModules()).containsExactly("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                "down_proj");
    }

    @Test
    void llamaLoraOn24GiBNeedsCheckpointing() {
        TrainingPlan plan = plan(24);

        assertThat(plan.gradientCheckpointing()).isTrue();
        assertThat(plan.checkpointingReason()).isEqualTo("micro-batch 1 without it needs 39.0 GiB, 21.8 GiB usable");
        assertThat(plan.microBatchSize()).isEqualTo(1);
        assertThat(plan.gradientAccumulationSteps()).isEqualTo(16);
        assertThat(plan.predictedPeakBytes()).isEqualTo(memory(FinetuneMethod.LORA, 1, true).totalBytes())
                .isLessThanOrEqualTo(usable(24));
        assertThat(memory(FinetuneMethod.LORA, 2, true).totalBytes()).isGreaterThan(usable(24));
        assertThat(plan.describe()).contains("checkpointing    on (micro-batch 1 without it needs 39.0 GiB")
                .contains("batch            16 = micro-batch 1 x accumulation 16 x 1 GPU")
                .contains("20.2 GiB predicted peak");
    }

    @Test
    void forcedCheckpointingBuysTheLargestMicroBatchThatSplitsTheBatchExactly() {
        TrainingPlan plan = plan(48, "gradientCheckpointing: true");

        assertThat(memory(FinetuneMethod.LORA, 6, true).totalBytes()).as("6 fits").isLessThanOrEqualTo(usable(48));
        assertThat(memory(FinetuneMethod.LORA, 7, true).totalBytes()).as("7 does not").isGreaterThan(usable(48));
        // 6 and 5 fit too, but 6 x 3 = 18 and 5 x 3 = 15 miss the batch of 16; 4 x 4 hits it.
        assertThat(plan.microBatchSize()).isEqualTo(4);
        assertThat(plan.gradientAccumulationSteps()).isEqualTo(4);
        assertThat(plan.checkpointingReason()).isEqualTo("set by the spec");

        TrainingPlan odd = plan(48, "batchSize: 15", "gradientCheckpointing: true");
        assertThat(odd.microBatchSize()).isEqualTo(5);
        assertThat(odd.gradientAccumulationSteps()).isEqualTo(3);
    }

    @Test
    void qloraOn24GiBFitsTwoSequencesPerMicroBatch() {
        TrainingPlan plan = plan("qlora", 24);

        assertThat(plan.method()).isEqualTo(FinetuneMethod.QLORA);
        assertThat(plan.gradientCheckpointing()).isTrue();
        assertThat(plan.microBatchSize()).isEqualTo(2);
        assertThat(plan.gradientAccumulationSteps()).isEqualTo(8);
        assertThat(plan.memory().weightBytes()).as("4-bit base").isLessThan(6 * GIB);
        assertThat(plan.predictedPeakBytes()).isEqualTo(memory(FinetuneMethod.QLORA, 2, true).totalBytes())
                .isLessThanOrEqualTo(usable(24));
        assertThat(memory(FinetuneMethod.QLORA, 3, true).totalBytes()).isLessThanOrEqualTo(usable(24));
        assertThat(memory(FinetuneMethod.QLORA, 1, false).totalBytes()).isGreaterThan(usable(24));
    }

    @Test
    void fullFineTuningOn192GiB() {
        TrainingPlan plan = plan("full", 192);

        assertThat(plan.memory().trainableParameters()).isEqualTo(8_030_261_248L);
        assertThat(plan.gradientCheckpointing()).isFalse();
        assertThat(plan.microBatchSize()).isEqualTo(1);
        assertThat(plan.gradientAccumulationSteps()).isEqualTo(16);
        assertThat(plan.targetModules()).isEmpty();
        assertThat(plan.predictedPeakBytes()).isEqualTo(memory(FinetuneMethod.FULL, 1, false).totalBytes());
        assertThat(plan.predictedPeakGib()).isBetween(158.0, 158.2);
        assertThat(plan.describe()).doesNotContain("target modules");
    }

    @Test
    void fullFineTuningOn48GiBCannotFitAndSaysByHowMuch() {
        assertThatThrownBy(() -> plan("full", 48))
                .isInstanceOf(PlanDoesNotFitException.class)
                .hasMessage("llama-chat: full fine-tuning of meta-llama/Llama-3.1-8B-Instruct at maxSeqLen 4096 needs "
                        + "139.2 GiB per GPU at micro-batch 1 with gradient checkpointing on (weights 44.9 GiB, "
                        + "gradients 29.9 GiB, optimizer 59.8 GiB, activations 4.6 GiB), but resources.gpuMemoryGb 48 "
                        + "leaves 44.6 GiB usable (1 GiB runtime reserve, 5% allocator headroom); use method lora or "
                        + "qlora, a shorter maxSeqLen, or a larger GPU");
    }

    @Test
    void checkpointingForcedOffThatDoesNotFitPointsAtTheSwitch() {
        assertThatThrownBy(() -> plan(24, "gradientCheckpointing: false"))
                .isInstanceOf(PlanDoesNotFitException.class)
                .hasMessageContaining("needs 39.0 GiB per GPU at micro-batch 1 with gradient checkpointing off")
                .hasMessageEndingWith("set hyperparameters.gradientCheckpointing to auto or true (it would need 20.2 GiB)");
    }

    @Test
    void dataParallelGpusShareTheBatch() {
        FineTuningJobSpec spec = ws.parse("job.yaml", SpecWorkspace.llamaChat(List.of("batchSize: 32",
                "gradientCheckpointing: true"), 48).replace("gpuMemoryGb: 48.0", "gpuMemoryGb: 48.0\n    gpus: 4"));
        TrainingPlan plan = TrainingSizer.plan(spec, LLAMA_8B);

        assertThat(plan.gpus()).isEqualTo(4);
        assertThat(plan.microBatchSize() * plan.gradientAccumulationSteps() * 4).isEqualTo(32);
        assertThat(plan.microBatchSize()).isEqualTo(4);
        assertThat(plan.effectiveBatchSize()).isEqualTo(32);
        assertThat(plan.tokensPerStep()).isEqualTo(32L * 4096);
    }

    @Test
    void splitsComeAsCloseToTheBatchAsTheyCan() {
        assertThat(TrainingSizer.closestSplit(16, 1, 5)).isEqualTo(4);
        assertThat(TrainingSizer.closestSplit(16, 1, 16)).isEqualTo(16);
        assertThat(TrainingSizer.closestSplit(7, 1, 4)).as("7 is prime: only 1 x 7 is exact").isEqualTo(1);
        assertThat(TrainingSizer.accumulation(16, 1, 3)).as("3 x 5 = 15 beats 3 x 6 = 18").isEqualTo(5);
        assertThat(TrainingSizer.accumulation(10, 4, 1)).as("4 x 2 = 8 and 4 x 3 = 12 tie: the smaller").isEqualTo(2);
        assertThat(TrainingSizer.accumulation(2, 4, 1)).as("at least one step").isEqualTo(1);
    }
}
