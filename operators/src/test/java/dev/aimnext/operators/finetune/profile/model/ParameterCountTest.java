package dev.aimnext.operators.finetune.profile.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ParameterCountTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // config,                  exact count by the formula, published total
        "llama-3.1-8b,              8030261248,  8.03e9",
        "mistral-7b-v0.3,           7248023552,  7.25e9",
        "qwen2.5-7b,                7615616512,  7.62e9",
        "qwen3-8b,                  8190735360,  8.19e9",
        "gemma-2-9b,                9241705984,  9.24e9",
        "phi-3-mini-4k-instruct,    3821079552,  3.82e9",
        "mixtral-8x7b-v0.1,         46702792704, 46.7e9",
    })
    void countsMatchThePublishedTotalsWithinOnePercent(String config, long exact, double published) {
        long total = ParameterCount.of(PublishedConfigs.shape(config)).total();

        assertThat(total).isEqualTo(exact);
        assertThat((total - published) / published).isCloseTo(0.0, within(0.01));
    }

    @Test
    void llamaSplitsIntoEmbeddingsHeadAttentionMlpAndNorms() {
        ParameterCount p = ParameterCount.of(PublishedConfigs.shape("llama-3.1-8b"));

        assertThat(p.embeddings()).isEqualTo(128_256L * 4096);
        assertThat(p.outputHead()).isEqualTo(128_256L * 4096);
        assertThat(p.attention()).isEqualTo(32L * (4096 * 4096 * 2 + 2 * 4096 * 1024));
        assertThat(p.mlp()).isEqualTo(32L * 3 * 4096 * 14336);
        assertThat(p.norms()).isEqualTo(32L * 2 * 4096 + 4096);
        assertThat(p.biases()).isZero();
        assertThat(p.router()).isZero();
        assertThat(p.quantizableLinear()).isEqualTo(6_979_321_856L);
        assertThat(p.unquantized()).isEqualTo(1_050_939_392L);
    }

    @Test
    void qwen2CarriesBiasesOnQueryKeyAndValueOnly() {
        ParameterCount p = ParameterCount.of(PublishedConfigs.shape("qwen2.5-7b"));

        assertThat(p.biases()).isEqualTo(28L * (3584 + 2 * 512));
    }

    @Test
    void gemma2TiesItsHeadAndHasFourNormsPerLayer() {
        ParameterCount p = ParameterCount.of(PublishedConfigs.shape("gemma-2-9b"));

        assertThat(p.outputHead()).isZero();
        assertThat(p.norms()).isEqualTo(42L * 4 * 3584 + 3584);
        // head_dim 256 × 16 heads = 4096 is wider than hidden 3584: q is 3584 × 4096.
        assertThat(p.attention()).isEqualTo(42L * (3584 * 4096 * 2 + 2 * 3584 * 2048));
    }

    @Test
    void qwen3AddsPerHeadQueryAndKeyNorms() {
        ParameterCount p = ParameterCount.of(PublishedConfigs.shape("qwen3-8b"));

        assertThat(p.norms()).isEqualTo(36L * (2 * 4096 + 2 * 128) + 4096);
    }

    @Test
    void mixtralCountsEveryExpertButActivatesTwo() {
        ParameterCount p = ParameterCount.of(PublishedConfigs.shape("mixtral-8x7b-v0.1"));

        assertThat(p.mlp()).isEqualTo(32L * 8 * 3 * 4096 * 14336);
        assertThat(p.router()).isEqualTo(32L * 4096 * 8);
        assertThat(p.activePerToken()).isEqualTo(12_879_925_248L); // published: 12.9B active
    }

    @Test
    void phi3FusedProjectionsHoldTheSameParametersAsSeparateOnes() {
        ModelShape fused = PublishedConfigs.shape("phi-3-mini-4k-instruct");
        ModelShape separate = new ModelShape("llama", fused.hiddenSize(), fused.intermediateSize(), fused.layers(),
                fused.attentionHeads(), fused.kvHeads(), fused.headDim(), fused.vocabSize(), false, false, false,
                false, false, 2, false, null, 0, 0, 4096, "bfloat16");

        assertThat(ParameterCount.of(fused).total()).isEqualTo(ParameterCount.of(separate).total());
    }

    @Test
    void gemma3TextConfigSizesOnlyTheLanguageModel() {
        ParameterCount p = ParameterCount.of(PublishedConfigs.shape("gemma-3-4b-it"));

        // Published 4.3B includes a 0.42B SigLIP vision tower, which the profile does not count.
        assertThat(p.total()).isEqualTo(3_880_263_168L);
    }
}
