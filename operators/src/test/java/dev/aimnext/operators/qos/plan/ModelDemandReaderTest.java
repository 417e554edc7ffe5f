package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.finetune.profile.AimProfile;
import dev.aimnext.operators.finetune.profile.AimProfileGenerator;
import dev.aimnext.operators.finetune.profile.AimProfileJson;
import dev.aimnext.operators.finetune.profile.ProfileRequest;
import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.memory.ServingPlanner;
import dev.aimnext.operators.finetune.profile.memory.TrainingSetup;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.qos.placement.Priority;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Weights and KV floors of real model shapes, from config.json files and from AIM profiles. */
class ModelDemandReaderTest {

    @TempDir
    Path dir;

    @Test
    void publishedShapesGiveTheirPublishedParameterCounts() throws IOException {
        // Parameters x 2 bytes; the counts are those of the checkpoints' safetensors.
        assertThat(read("llama=" + ModelConfigs.write(dir, ModelConfigs.LLAMA_8B) + ":bf16").weightBytes())
                .isEqualTo(2 * 8_030_261_248L);
        assertThat(read("qwen=" + ModelConfigs.write(dir, ModelConfigs.QWEN_32B) + ":bf16").weightBytes())
                .isEqualTo(2 * 32_763_876_352L);
        assertThat(read("mixtral=" + ModelConfigs.write(dir, ModelConfigs.MIXTRAL) + ":bf16").weightBytes())
                .isEqualTo(2 * 46_702_792_704L);
        assertThat(read("llama70=" + ModelConfigs.write(dir, ModelConfigs.LLAMA_70B) + ":fp16").weightBytes())
                .isEqualTo(2 * 70_553_706_496L);
    }

    @Test
    void kvFloorFollowsLayersKvHeadsAndHeadDim() throws IOException {
        // Qwen2.5-32B: 2 * 64 layers * 8 KV heads * 128 * 2 bytes = 256 KiB per token.
        ModelDemand qwen = read("qwen=" + ModelConfigs.write(dir, ModelConfigs.QWEN_32B) + ":kv=8192x2:priority=low");
        assertThat(qwen.kvFloorBytes()).isEqualTo(2L * 8192 * 262_144);
        assertThat(qwen.priority()).isEqualTo(Priority.LOW);
        assertThat(qwen.summary()).contains("bf16, 32.76B parameters, KV 262144 B/token, floor 8192 tokens x 2");

        // Llama-3.1-70B: 2 * 80 * 8 * 128 * 2 = 320 KiB per token; the default floor is one 8192-token sequence.
        ModelDemand llama70 = read("l70=" + ModelConfigs.write(dir, ModelConfigs.LLAMA_70B) + ":fp16");
        assertThat(llama70.kvFloorBytes()).isEqualTo(8192L * 327_680);
        assertThat(llama70.priority()).isEqualTo(Priority.MEDIUM);
    }

    @Test
    void dtypeDefaultsToTheCheckpointsAndFp8HalvesWeightsButNotTheCache() throws IOException {
        Path config = ModelConfigs.write(dir, ModelConfigs.LLAMA_8B);
        ModelDemand bf16 = read("a=" + config);
        ModelDemand fp8 = read("b=" + config + ":fp8");
        ModelDemand fp8Cache = read("c=" + config + ":fp8:kv-dtype=fp8");

        assertThat(bf16.weightBytes()).isEqualTo(2 * fp8.weightBytes());
        assertThat(fp8.kvFloorBytes()).isEqualTo(bf16.kvFloorBytes());
        assertThat(fp8Cache.kvFloorBytes()).isEqualTo(bf16.kvFloorBytes() / 2);
        assertThatThrownBy(() -> read("d=" + config + ":kv-dtype=nf4"))
                .hasMessage("model d: kv-dtype must be fp32, bf16, fp16 or fp8, got nf4");
    }

    @Test
    void aFloorLongerThanTheTrainedContextIsRefused() throws IOException {
        Path config = ModelConfigs.write(dir, ModelConfigs.MIXTRAL);

        assertThatThrownBy(() -> read("m=" + config + ":kv=65536x1"))
                .hasMessage("model m: a KV floor of 65536 tokens exceeds its max_position_embeddings 32768");
    }

    @Test
    void anAimProfileBringsItsNameServedMemoryFloorAndPriority() throws IOException {
        ProfileRequest request = new ProfileRequest("meta-llama/Llama-3.1-8B", FinetuneMethod.LORA, WeightDtype.BF16,
                48, 8192, LoraSpec.ofRank(16), TrainingSetup.DEFAULT, ServingPlanner.DEFAULT_GPU_MEMORY_UTILIZATION, 0,
                "high");
        AimProfile profile = AimProfileGenerator.generate(ModelConfigs.shape(ModelConfigs.LLAMA_8B), request);
        Path file = dir.resolve("profile.json");
        Files.writeString(file, AimProfileJson.toPrettyString(profile));

        ModelDemand demand = read(file.toString());

        assertThat(demand.name()).isEqualTo("meta-llama/Llama-3.1-8B");
        assertThat(demand.priority()).isEqualTo(Priority.HIGH);
        assertThat(demand.weightBytes()).isEqualTo(profile.serving().weightBytes() + profile.serving().loraBytes()
                + profile.serving().runtimeOverheadBytes());
        assertThat(demand.kvFloorBytes()).isEqualTo(8192L * 131_072);
        assertThat(demand.summary()).endsWith("(AIM profile of meta-llama/Llama-3.1-8B, lora), floor 1 sequence of "
                + "8192 tokens");

        ModelDemand overridden = read("llama=" + file + ":kv=4096x4:priority=low");
        assertThat(overridden.name()).isEqualTo("llama");
        assertThat(overridden.kvFloorBytes()).isEqualTo(4L * 4096 * 131_072);
        assertThat(overridden.priority()).isEqualTo(Priority.LOW);
        assertThatThrownBy(() -> read(file + ":fp8"))
                .hasMessage("model meta-llama/Llama-3.1-8B: an AIM profile fixes its dtype (bf16); drop :fp8");
    }

    @Test
    void missingNamesFilesAndBadJsonAreOneLine() throws IOException {
        Path config = ModelConfigs.write(dir, ModelConfigs.LLAMA_8B);
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"hidden_size\": 4096,");

        assertThatThrownBy(() -> read(config.toString()))
                .hasMessage("model " + config + " is a config.json, so it needs a name: NAME=" + config);
        assertThatThrownBy(() -> read("x=" + dir.resolve("nope.json")))
                .hasMessage("model file " + dir.resolve("nope.json") + " does not exist");
        assertThatThrownBy(() -> read("x=" + broken)).hasMessageStartingWith(broken + " is not valid JSON: ");
    }

    private static ModelDemand read(String spec) {
        return ModelDemandReader.read(ModelSpec.parse(spec));
    }
}
