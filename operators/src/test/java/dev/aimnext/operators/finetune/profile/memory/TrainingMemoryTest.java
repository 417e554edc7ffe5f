package dev.aimnext.operators.finetune.profile.memory;

import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.ParameterCount;
import dev.aimnext.operators.finetune.profile.model.PublishedConfigs;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingMemoryTest {

    private static final ModelShape LLAMA = PublishedConfigs.shape("llama-3.1-8b");
    private static final ParameterCount PARAMS = ParameterCount.of(LLAMA);
    private static final long N = 8_030_261_248L;

    /** Llama-3.1-8B, 2048 tokens, batch 1, bf16: one layer holds 2·2048·83,968 bytes, the logits 2048·128,256·6. */
    private static final long LAYER = 2L * 2048 * (4 * 4096 + 4096 + 2 * 1024 + 4096 + 4 * 14336);
    private static final long LOGITS = 2048L * 128_256 * 6;

    private static TrainingMemory estimate(FinetuneMethod method, TrainingSetup setup) {
        return TrainingMemory.estimate(LLAMA, PARAMS, method, WeightDtype.BF16, LoraSpec.ofRank(16), setup);
    }

    @Test
    void fullAdamWMixedPrecisionIs18BytesPerParameterPlusActivations() {
        TrainingMemory m = estimate(FinetuneMethod.FULL, TrainingSetup.DEFAULT);

        assertThat(m.trainableParameters()).isEqualTo(N);
        assertThat(m.weightBytes()).isEqualTo(6 * N);
        assertThat(m.gradientBytes()).isEqualTo(4 * N);
        assertThat(m.optimizerBytes()).isEqualTo(8 * N);
        assertThat(m.totalBytes() - m.activationBytes()).isEqualTo(18 * N).isEqualTo(144_544_702_464L);
    }

    @Test
    void fullFp32NeedsNoMasterCopy() {
        TrainingMemory m = TrainingMemory.estimate(LLAMA, PARAMS, FinetuneMethod.FULL, WeightDtype.FP32,
                LoraSpec.ofRank(16), TrainingSetup.DEFAULT);

        assertThat(m.totalBytes() - m.activationBytes()).isEqualTo(16 * N);
    }

    @Test
    void gradientCheckpointingKeepsLayerInputsAndOneLayer() {
        TrainingMemory on = estimate(FinetuneMethod.FULL, TrainingSetup.DEFAULT);
        TrainingMemory off = estimate(FinetuneMethod.FULL, TrainingSetup.DEFAULT.withCheckpointing(false));

        assertThat(LAYER).isEqualTo(343_932_928L);
        assertThat(on.activationBytes()).isEqualTo(32L * 2 * 2048 * 4096 + LAYER + LOGITS).isEqualTo(2_456_813_568L);
        assertThat(off.activationBytes()).isEqualTo(32 * LAYER + LOGITS).isEqualTo(12_581_863_424L);
        assertThat(on.activationBytesOtherSetting()).isEqualTo(off.activationBytes());
    }

    @Test
    void activationsScaleWithTokensPerStep() {
        long oneBy2048 = TrainingMemory.activationBytes(LLAMA, WeightDtype.BF16, new TrainingSetup(2048, 1, false));
        long fourBy512 = TrainingMemory.activationBytes(LLAMA, WeightDtype.BF16, new TrainingSetup(512, 4, false));

        assertThat(fourBy512).isEqualTo(oneBy2048);
    }

    @Test
    void loraIsTheFrozenBasePlus16BytesPerTrainableParameter() {
        TrainingMemory m = estimate(FinetuneMethod.LORA, TrainingSetup.DEFAULT);
        long trainable = 41_943_040L;

        assertThat(m.trainableParameters()).isEqualTo(trainable);
        assertThat(m.weightBytes()).isEqualTo(2 * N + 4 * trainable);
        assertThat(m.totalBytes() - m.activationBytes()).isEqualTo(2 * N + 16 * trainable).isEqualTo(16_731_611_136L);
    }

    @Test
    void qloraQuantizesTheDecoderLinearsToNf4AndKeepsTheRestInBf16() {
        TrainingMemory m = estimate(FinetuneMethod.QLORA, TrainingSetup.DEFAULT);
        // 6,979,321,856 linear weights: 3,489,660,928 packed + 109,051,904 constants + 425,984 fp32 absmax;
        // 1,050,939,392 embedding, head and norm weights in bf16.
        long base = 3_489_660_928L + 109_051_904L + 425_984L * 4 + 2 * 1_050_939_392L;

        assertThat(TrainingMemory.qloraBaseBytes(PARAMS, WeightDtype.BF16)).isEqualTo(base).isEqualTo(5_702_295_552L);
        assertThat(m.totalBytes() - m.activationBytes()).isEqualTo(base + 16 * 41_943_040L);
    }
}
