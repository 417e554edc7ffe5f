package dev.aimnext.operators.finetune.profile.memory;

import dev.aimnext.operators.finetune.profile.model.PublishedConfigs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KvCacheTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // 2 · layers · kv_heads · head_dim · 2 bytes (bf16)
        "llama-3.1-8b,           131072", // 2·32·8·128·2
        "mistral-7b-v0.3,        131072", // 2·32·8·128·2
        "qwen2.5-7b,             57344",  // 2·28·4·128·2
        "qwen3-8b,               147456", // 2·36·8·128·2
        "gemma-2-9b,             344064", // 2·42·8·256·2
        "phi-3-mini-4k-instruct, 393216", // 2·32·32·96·2
        "mixtral-8x7b-v0.1,      131072", // 2·32·8·128·2
    })
    void bytesPerTokenFollowTheFormulaExactly(String config, long bytes) {
        assertThat(new KvCache(PublishedConfigs.shape(config), 2, 8192).bytesPerToken()).isEqualTo(bytes);
    }

    @Test
    void sequencesAreAllocatedInBlocksOf16Tokens() {
        KvCache llama = new KvCache(PublishedConfigs.shape("llama-3.1-8b"), 2, 8192);

        assertThat(llama.bytesPerSequence(1)).isEqualTo(16 * 131_072L);
        assertThat(llama.bytesPerSequence(8192)).isEqualTo(8192 * 131_072L);
        assertThat(llama.bytesPerSequence(8193)).isEqualTo(8208 * 131_072L);
    }

    @Test
    void slidingLayersKeepWindowMinusOnePlusBatchedTokens() {
        KvCache gemma = new KvCache(PublishedConfigs.shape("gemma-2-9b"), 2, 512);
        long perLayerToken = 2 * 8 * 256 * 2;

        // 21 global layers hold all 8192 tokens; 21 sliding layers hold 4095 + 512 = 4607, rounded to 4608.
        assertThat(gemma.bytesPerSequence(8192)).isEqualTo(perLayerToken * (21 * 8192 + 21 * 4608));
        // Below the window both kinds hold the whole sequence.
        assertThat(gemma.bytesPerSequence(2048)).isEqualTo(344_064L * 2048);

        KvCache phi = new KvCache(PublishedConfigs.shape("phi-3-mini-4k-instruct"), 2, 512);
        assertThat(phi.bytesPerSequence(4096)).isEqualTo(12_288L * 32 * 2560);
    }

    @Test
    void vllmDefaultBatchedTokensLeaveNoSavingBelowTheWindowPlus8191() {
        KvCache gemma = new KvCache(PublishedConfigs.shape("gemma-2-9b"), 2, KvCache.DEFAULT_MAX_NUM_BATCHED_TOKENS);

        assertThat(gemma.bytesPerSequence(8192)).isEqualTo(344_064L * 8192);
    }

    @Test
    void longestSequenceWithinABudgetIsWholeBlocks() {
        KvCache llama = new KvCache(PublishedConfigs.shape("llama-3.1-8b"), 2, 8192);

        assertThat(llama.longestSequenceWithin(1L << 30, 131_072)).isEqualTo(8192);
        assertThat(llama.longestSequenceWithin((1L << 30) - 1, 131_072)).isEqualTo(8176);
        assertThat(llama.longestSequenceWithin(1L << 40, 131_072)).isEqualTo(131_072);
        assertThat(llama.longestSequenceWithin(131_072L * 15, 131_072)).isZero();
    }
}
