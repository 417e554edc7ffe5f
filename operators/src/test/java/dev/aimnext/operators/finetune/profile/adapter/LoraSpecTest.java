package dev.aimnext.operators.finetune.profile.adapter;

import dev.aimnext.operators.finetune.profile.model.PublishedConfigs;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoraSpecTest {

    @Test
    void llamaAllLinearRank16AddsRTimesInPlusOutPerProjection() {
        // per layer: q 16·(4096+4096), k and v 16·(4096+1024), o 16·(4096+4096), gate/up/down 16·(4096+14336)
        long perLayer = 131_072 + 2 * 81_920 + 131_072 + 3 * 294_912;

        assertThat(LoraSpec.ofRank(16).trainableParameters(PublishedConfigs.shape("llama-3.1-8b")))
                .isEqualTo(32 * perLayer)
                .isEqualTo(41_943_040L);
    }

    @Test
    void queryAndValueOnlyAtRank8MatchesPeftsCountForLlama() {
        LoraSpec qv = new LoraSpec(8, 16, LoraSpec.parseTargets("q_proj,v_proj"));

        assertThat(qv.trainableParameters(PublishedConfigs.shape("llama-3.1-8b"))).isEqualTo(3_407_872L);
    }

    @Test
    void phi3AdaptsEachFusedLinearOnce() {
        var phi = PublishedConfigs.shape("phi-3-mini-4k-instruct");
        // qkv 16·(3072+9216), o 16·(3072+3072), gate_up 16·(3072+16384), down 16·(8192+3072)
        long perLayer = 196_608 + 98_304 + 311_296 + 180_224;

        assertThat(LoraSpec.ofRank(16).trainableParameters(phi)).isEqualTo(32 * perLayer).isEqualTo(25_165_824L);
        assertThat(LoraSpec.ofRank(16).moduleNames(phi)).containsExactly("qkv_proj", "o_proj", "gate_up_proj", "down_proj");
    }

    @Test
    void mixtralAdaptsEveryExpertButNotTheRouter() {
        long attention = 131_072 + 2 * 81_920 + 131_072;
        long experts = 8 * 3 * 294_912;

        assertThat(LoraSpec.ofRank(16).trainableParameters(PublishedConfigs.shape("mixtral-8x7b-v0.1")))
                .isEqualTo(32 * (attention + experts))
                .isEqualTo(240_123_904L);
    }

    @Test
    void targetsParseFromPeftAndShortNames() {
        assertThat(LoraSpec.parseTargets("q,k,v,o")).containsExactly(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.O);
        assertThat(LoraSpec.parseTargets("qkv_proj, gate_up_proj"))
                .containsExactly(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.GATE, LoraTarget.UP);
        assertThat(LoraSpec.parseTargets("w1,w2,w3")).containsExactly(LoraTarget.GATE, LoraTarget.UP, LoraTarget.DOWN);
        assertThat(LoraSpec.parseTargets("all-linear")).isEqualTo(EnumSet.allOf(LoraTarget.class));
        assertThat(LoraSpec.ofRank(8).moduleNames(PublishedConfigs.shape("llama-3.1-8b")))
                .containsExactly("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
        assertThatThrownBy(() -> LoraSpec.parseTargets("q,lm_head"))
                .hasMessageStartingWith("unknown LoRA target 'lm_head'; expected some of q, k, v, o, gate, up, down");
        assertThatThrownBy(() -> LoraSpec.ofRank(0)).hasMessage("LoRA rank must be at least 1, got 0");
    }
}
