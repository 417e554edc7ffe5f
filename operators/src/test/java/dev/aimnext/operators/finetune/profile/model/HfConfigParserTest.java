package dev.aimnext.operators.finetune.profile.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HfConfigParserTest {

    @Test
    void llamaUsesGroupedQueryAttentionAndDerivesHeadDim() {
        ModelShape s = PublishedConfigs.shape("llama-3.1-8b");

        assertThat(s.modelType()).isEqualTo("llama");
        assertThat(s.kvHeads()).isEqualTo(8);
        assertThat(s.headDim()).isEqualTo(128);
        assertThat(s.tiedEmbeddings()).isFalse();
        assertThat(s.qkvBias()).isFalse();
        assertThat(s.slidingLayers()).isZero();
        assertThat(s.maxPositionEmbeddings()).isEqualTo(131_072);
        assertThat(s.torchDtype()).isEqualTo("bfloat16");
    }

    @Test
    void explicitHeadDimWinsOverHiddenDividedByHeads() {
        ModelShape gemma = PublishedConfigs.shape("gemma-2-9b");

        assertThat(gemma.headDim()).isEqualTo(256); // not 3584 / 16 = 224
        assertThat(gemma.queryWidth()).isEqualTo(4096);
        assertThat(PublishedConfigs.shape("qwen3-8b").headDim()).isEqualTo(128);
    }

    @Test
    void qwen2HasQkvBiasAndItsSlidingWindowIsOffUnlessEnabled() {
        ModelShape s = PublishedConfigs.shape("qwen2.5-7b");

        assertThat(s.qkvBias()).isTrue();
        assertThat(s.outputBias()).isFalse();
        assertThat(s.slidingLayers()).isZero();
        assertThat(s.slidingWindow()).isZero();
    }

    @Test
    void qwen2SlidesOnlyFromMaxWindowLayersUpWhenEnabled() {
        String json = PublishedConfigs.json("qwen2.5-7b")
                .replace("\"use_sliding_window\": false", "\"use_sliding_window\": true")
                .replace("\"max_window_layers\": 28", "\"max_window_layers\": 20")
                .replace("\"sliding_window\": 131072", "\"sliding_window\": 4096");

        ModelShape s = HfConfigParser.parse(json, "qwen-sliding");

        assertThat(s.slidingWindow()).isEqualTo(4096);
        assertThat(s.slidingLayers()).isEqualTo(8);
    }

    @Test
    void gemma2AlternatesSlidingAndGlobalLayers() {
        ModelShape s = PublishedConfigs.shape("gemma-2-9b");

        assertThat(s.slidingWindow()).isEqualTo(4096);
        assertThat(s.slidingLayers()).isEqualTo(21);
        assertThat(s.tiedEmbeddings()).isTrue(); // Gemma's default, absent from its config.json
        assertThat(s.normsPerLayer()).isEqualTo(4);
    }

    @Test
    void layerTypesListDecidesWhichLayersSlide() {
        String json = """
                {"model_type": "gemma2", "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 4,
                 "num_attention_heads": 2, "vocab_size": 10, "sliding_window": 4,
                 "layer_types": ["sliding_attention", "sliding_attention", "sliding_attention", "full_attention"]}
                """;

        assertThat(HfConfigParser.parse(json, "tiny").slidingLayers()).isEqualTo(3);
    }

    @Test
    void mistralV03HasNoWindowAndPhi3SlidesEveryLayer() {
        assertThat(PublishedConfigs.shape("mistral-7b-v0.3").slidingWindow()).isZero();

        ModelShape phi = PublishedConfigs.shape("phi-3-mini-4k-instruct");
        assertThat(phi.slidingWindow()).isEqualTo(2047);
        assertThat(phi.slidingLayers()).isEqualTo(32);
        assertThat(phi.fusedProjections()).isTrue();
        assertThat(phi.kvHeads()).isEqualTo(32);
    }

    @Test
    void mixtralIsAMixtureOfEightExpertsTwoPerToken() {
        ModelShape s = PublishedConfigs.shape("mixtral-8x7b-v0.1");

        assertThat(s.moe()).isEqualTo(new MixtureOfExperts(8, 2, 14336, 0));
        assertThat(s.activeIntermediateSize()).isEqualTo(2 * 14336);
    }

    @Test
    void qwenMoeUsesMoeIntermediateSizeAndASharedExpert() {
        String json = """
                {"model_type": "qwen2_moe", "hidden_size": 2048, "intermediate_size": 5632,
                 "moe_intermediate_size": 1408, "shared_expert_intermediate_size": 5632, "num_experts": 60,
                 "num_experts_per_tok": 4, "num_hidden_layers": 24, "num_attention_heads": 16,
                 "num_key_value_heads": 16, "vocab_size": 151936, "max_position_embeddings": 8192}
                """;

        ModelShape s = HfConfigParser.parse(json, "qwen1.5-moe");

        assertThat(s.moe()).isEqualTo(new MixtureOfExperts(60, 4, 1408, 5632));
        assertThat(s.qkvBias()).isTrue();
    }

    @Test
    void gemma3ReadsTheLanguageModelFromTextConfigWithGemma3Defaults() {
        ModelShape s = PublishedConfigs.shape("gemma-3-4b-it");

        assertThat(s.modelType()).isEqualTo("gemma3_text");
        assertThat(s.hiddenSize()).isEqualTo(2560);
        assertThat(s.layers()).isEqualTo(34);
        assertThat(s.attentionHeads()).isEqualTo(8);
        assertThat(s.kvHeads()).isEqualTo(4);
        assertThat(s.headDim()).isEqualTo(256);
        assertThat(s.vocabSize()).isEqualTo(262_208);
        assertThat(s.tiedEmbeddings()).isTrue();
        assertThat(s.qkNorm()).isTrue();
        assertThat(s.slidingWindow()).isEqualTo(1024);
        assertThat(s.slidingLayers()).isEqualTo(29); // every 6th of 34 layers is global
        assertThat(s.torchDtype()).isEqualTo("bfloat16");
    }

    @Test
    void missingRequiredFieldIsNamed() {
        String json = PublishedConfigs.json("llama-3.1-8b").replace("\"hidden_size\": 4096,", "");

        assertThatThrownBy(() -> HfConfigParser.parse(json, "config.json"))
                .isInstanceOf(InvalidModelConfigException.class)
                .hasMessage("config.json is missing required field 'hidden_size'");
    }

    @Test
    void nonNumericFieldIsNamed() {
        String json = PublishedConfigs.json("llama-3.1-8b").replace("\"num_hidden_layers\": 32", "\"num_hidden_layers\": \"32\"");

        assertThatThrownBy(() -> HfConfigParser.parse(json, "config.json"))
                .hasMessage("config.json: field 'num_hidden_layers' must be a positive whole number, got \"32\"");
    }

    @Test
    void headsThatDoNotGroupIntoKvHeadsAreRejected() {
        String json = PublishedConfigs.json("llama-3.1-8b").replace("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5");

        assertThatThrownBy(() -> HfConfigParser.parse(json, "config.json"))
                .hasMessage("num_attention_heads (32) is not a multiple of num_key_value_heads (5)");
    }

    @Test
    void invalidJsonAndMissingFilesAreClearErrors(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> HfConfigParser.parse("{\"hidden_size\": ", "config.json"))
                .isInstanceOf(InvalidModelConfigException.class)
                .hasMessageStartingWith("config.json is not valid JSON: ");
        assertThatThrownBy(() -> HfConfigParser.parse("[1, 2]", "config.json"))
                .hasMessage("config.json is not a JSON object");

        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> HfConfigParser.parse(missing))
                .hasMessage("model config " + missing + " does not exist");

        Path file = dir.resolve("config.json");
        Files.writeString(file, PublishedConfigs.json("mistral-7b-v0.3"));
        assertThat(HfConfigParser.parse(file).vocabSize()).isEqualTo(32_768);
    }
}
