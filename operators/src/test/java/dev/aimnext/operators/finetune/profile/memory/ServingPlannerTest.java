package dev.aimnext.operators.finetune.profile.memory;

import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.ParameterCount;
import dev.aimnext.operators.finetune.profile.model.PublishedConfigs;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServingPlannerTest {

    private static final String MODEL = "meta-llama/Llama-3.1-8B";
    private static final ModelShape LLAMA = PublishedConfigs.shape("llama-3.1-8b");
    private static final ParameterCount PARAMS = ParameterCount.of(LLAMA);
    private static final long GIB = 1L << 30;
    private static final ServingPlanner PLANNER = new ServingPlanner(0.90);

    private static ServingPlan plan(FinetuneMethod method, int rank, long partitionGib, long maxModelLen) {
        return PLANNER.plan(MODEL, LLAMA, PARAMS, method, WeightDtype.BF16, LoraSpec.ofRank(rank), partitionGib * GIB,
                maxModelLen);
    }

    @Test
    void loraOn48GibServesTheFullTrainedContext() {
        ServingPlan p = plan(FinetuneMethod.LORA, 16, 48, 0);

        assertThat(p.budgetBytes()).isEqualTo(46_385_646_796L);
        assertThat(p.weightBytes()).isEqualTo(16_060_522_496L);
        assertThat(p.loraBytes()).isEqualTo(2 * 41_943_040L);
        // 1 GiB non-torch + 8192 tokens · 2 bytes · (4096 + 3 · 14336)
        assertThat(p.runtimeOverheadBytes()).isEqualTo(1_845_493_760L);
        assertThat(p.kvBudgetBytes()).isEqualTo(28_395_744_460L);
        assertThat(p.kvBytesPerToken()).isEqualTo(131_072);
        assertThat(p.maxModelLen()).isEqualTo(131_072);
        assertThat(p.longestFittingModelLen()).isEqualTo(131_072);
        assertThat(p.maxConcurrentSequences()).isEqualTo(1);
        assertThat(p.vllmArgs()).containsExactly("--dtype", "bfloat16", "--gpu-memory-utilization", "0.90",
                "--max-model-len", "131072", "--enable-lora", "--max-lora-rank", "16");
    }

    @Test
    void aShorterContextServesMoreSequencesAtOnce() {
        ServingPlan p = plan(FinetuneMethod.LORA, 16, 48, 8192);

        assertThat(p.kvBytesPerSequence()).isEqualTo(GIB);
        assertThat(p.maxConcurrentSequences()).isEqualTo(26);
        assertThat(p.vllmArgs()).containsSequence("--max-model-len", "8192");
    }

    @Test
    void qloraServesTheNf4BaseThroughBitsandbytesAndRoundsTheRankUpForVllm() {
        ServingPlan p = plan(FinetuneMethod.QLORA, 20, 24, 16384);

        assertThat(p.weightBytes()).isEqualTo(5_702_295_552L);
        assertThat(p.maxLoraRank()).isEqualTo(32);
        assertThat(p.vllmArgs()).containsExactly("--dtype", "bfloat16", "--gpu-memory-utilization", "0.90",
                "--max-model-len", "16384", "--quantization", "bitsandbytes", "--enable-lora", "--max-lora-rank", "32");
    }

    @Test
    void fullFineTuneServesWithoutLora() {
        ServingPlan p = plan(FinetuneMethod.FULL, 16, 48, 32768);

        assertThat(p.loraBytes()).isZero();
        assertThat(p.maxLoraRank()).isZero();
        assertThat(p.vllmArgs()).containsExactly("--dtype", "bfloat16", "--gpu-memory-utilization", "0.90",
                "--max-model-len", "32768");
    }

    @Test
    void weightsLargerThanTheBudgetFailWithWhatTheyNeed() {
        assertThatThrownBy(() -> plan(FinetuneMethod.LORA, 16, 16, 0))
                .isInstanceOf(ProfileDoesNotFitException.class)
                .hasMessage("serving meta-llama/Llama-3.1-8B (lora) needs 16.8 GiB before any KV cache (weights 15.0 GiB, "
                        + "LoRA slot 0.1 GiB, runtime 1.7 GiB) but vLLM may use only 14.4 GiB of the 16.0 GiB partition "
                        + "(--gpu-memory-utilization 0.90); use a larger partition or --method qlora");
    }

    @Test
    void aContextLongerThanTheCacheFailsNamingTheLongestThatFits() {
        assertThatThrownBy(() -> plan(FinetuneMethod.LORA, 16, 24, 131_072))
                .isInstanceOf(ProfileDoesNotFitException.class)
                .hasMessage("a 131072-token context of meta-llama/Llama-3.1-8B needs 16.0 GiB of KV cache but only "
                        + "4.8 GiB is left after weights and runtime (21.6 GiB of the 24.0 GiB partition at "
                        + "--gpu-memory-utilization 0.90); the longest that fits is 39680 tokens");
        assertThat(plan(FinetuneMethod.LORA, 16, 24, 0).maxModelLen()).isEqualTo(39_680);
    }

    @Test
    void aContextBeyondTheTrainedLengthIsRejected() {
        assertThatThrownBy(() -> plan(FinetuneMethod.LORA, 16, 48, 200_000))
                .hasMessage("--max-model-len 200000 exceeds meta-llama/Llama-3.1-8B's max_position_embeddings 131072");
    }

    @Test
    void vllmLoraRanksRoundUpToAnAcceptedValue() {
        assertThat(ServingPlanner.vllmLoraRank(1)).isEqualTo(1);
        assertThat(ServingPlanner.vllmLoraRank(2)).isEqualTo(8);
        assertThat(ServingPlanner.vllmLoraRank(16)).isEqualTo(16);
        assertThat(ServingPlanner.vllmLoraRank(300)).isEqualTo(320);
        assertThatThrownBy(() -> ServingPlanner.vllmLoraRank(600))
                .hasMessage("LoRA rank 600 exceeds vLLM's largest --max-lora-rank 512");
    }
}
