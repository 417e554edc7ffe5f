package dev.aimnext.operators.finetune.profile;

import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.memory.ProfileDoesNotFitException;
import dev.aimnext.operators.finetune.profile.model.PublishedConfigs;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AimProfileGeneratorTest {

    private static final JsonSchema SCHEMA = loadSchema();

    private static JsonSchema loadSchema() {
        try (InputStream in = AimProfileJson.class.getResourceAsStream(AimProfileJson.SCHEMA_RESOURCE)) {
            assertThat(in).as("schema on the classpath from aim-schemas").isNotNull();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> violations(JsonNode profile) {
        return SCHEMA.validate(profile).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    private static ObjectNode profile(String config, String modelId, FinetuneMethod method, double gib) {
        ProfileRequest request = ProfileRequest.of(modelId, method, WeightDtype.BF16, gib);
        return AimProfileJson.toJson(AimProfileGenerator.generate(PublishedConfigs.shape(config), request));
    }

    @ParameterizedTest(name = "{0} {1} on {2} GiB")
    @CsvSource({
        "llama-3.1-8b,           lora,  48",
        "mistral-7b-v0.3,        qlora, 24",
        "qwen2.5-7b,             lora,  48",
        "qwen3-8b,               qlora, 24",
        "gemma-2-9b,             lora,  48",
        "phi-3-mini-4k-instruct, full,  96",
        "mixtral-8x7b-v0.1,      qlora, 48",
        "gemma-3-4b-it,          lora,  24",
    })
    void generatedProfilesFollowTheSchema(String config, String method, double gib) {
        ObjectNode json = profile(config, config, FinetuneMethod.parse(method), gib);

        assertThat(violations(json)).isEmpty();
        assertThat(json.at("/finetuning/method").asText()).isEqualTo(method);
        assertThat(json.at("/gpu_sharing/memory_limit_gb").asDouble()).isEqualTo(gib);
        assertThat(json.at("/memory/training/total_bytes").asLong()).isLessThanOrEqualTo((long) (gib * (1L << 30)));
    }

    @Test
    void llamaLoraProfileCarriesTheComputedSizes() {
        ObjectNode json = profile("llama-3.1-8b", "meta-llama/Llama-3.1-8B", FinetuneMethod.LORA, 48);

        assertThat(json.at("/model_id").asText()).isEqualTo("meta-llama/Llama-3.1-8B");
        assertThat(json.at("/version").asText()).isEqualTo("1.0.0");
        assertThat(json.at("/gpu_sharing/enabled").asBoolean()).isTrue();
        assertThat(json.at("/gpu_sharing/qos_priority").asText()).isEqualTo("medium");
        assertThat(json.at("/guardrails").size()).isZero();
        assertThat(json.at("/finetuning/base_model").asText()).isEqualTo("meta-llama/Llama-3.1-8B");
        assertThat(json.at("/finetuning/lora/rank").asInt()).isEqualTo(16);
        assertThat(json.at("/finetuning/lora/alpha").asInt()).isEqualTo(32);
        assertThat(json.at("/finetuning/lora/target_modules").toString())
                .isEqualTo("[\"q_proj\",\"k_proj\",\"v_proj\",\"o_proj\",\"gate_proj\",\"up_proj\",\"down_proj\"]");
        assertThat(json.at("/finetuning/training/gradient_checkpointing").asBoolean()).isTrue();
        assertThat(json.at("/memory/partition_bytes").asLong()).isEqualTo(48L << 30);
        assertThat(json.at("/memory/model/parameters/total").asLong()).isEqualTo(8_030_261_248L);
        assertThat(json.at("/memory/weight_bytes/bf16").asLong()).isEqualTo(16_060_522_496L);
        assertThat(json.at("/memory/weight_bytes/fp32").asLong()).isEqualTo(32_121_044_992L);
        assertThat(json.at("/memory/training/trainable_parameters").asLong()).isEqualTo(41_943_040L);
        assertThat(json.at("/memory/training/activation_bytes_checkpointing_on").asLong()).isEqualTo(2_456_813_568L);
        assertThat(json.at("/memory/training/activation_bytes_checkpointing_off").asLong()).isEqualTo(12_581_863_424L);
        assertThat(json.at("/memory/training/total_bytes").asLong()).isEqualTo(16_731_611_136L + 2_456_813_568L);
        assertThat(json.at("/memory/serving/kv_bytes_per_token").asLong()).isEqualTo(131_072);
        assertThat(json.at("/memory/serving/max_model_len").asLong()).isEqualTo(131_072);
        assertThat(json.at("/memory/serving/vllm_args").toString()).isEqualTo("[\"--dtype\",\"bfloat16\","
                + "\"--gpu-memory-utilization\",\"0.90\",\"--max-model-len\",\"131072\",\"--enable-lora\","
                + "\"--max-lora-rank\",\"16\"]");
    }

    @Test
    void qloraProfileRecordsItsQuantization() {
        ObjectNode json = profile("mixtral-8x7b-v0.1", "mistralai/Mixtral-8x7B-v0.1", FinetuneMethod.QLORA, 48);

        assertThat(json.at("/finetuning/quantization/type").asText()).isEqualTo("nf4");
        assertThat(json.at("/finetuning/quantization/double_quant").asBoolean()).isTrue();
        assertThat(json.at("/finetuning/quantization/blocksize").asInt()).isEqualTo(64);
        assertThat(json.at("/memory/model/experts/count").asInt()).isEqualTo(8);
        assertThat(json.at("/memory/model/parameters/active_per_token").asLong()).isEqualTo(12_879_925_248L);
    }

    @Test
    void schemaRejectsAProfileMissingAMemoryField() {
        ObjectNode json = profile("llama-3.1-8b", "meta-llama/Llama-3.1-8B", FinetuneMethod.LORA, 48);
        ((ObjectNode) json.at("/memory/serving")).remove("kv_bytes_per_token");
        ((ObjectNode) json.at("/finetuning")).put("method", "dora");

        assertThat(violations(json)).hasSize(2)
                .anySatisfy(m -> assertThat(m).contains("kv_bytes_per_token"))
                .anySatisfy(m -> assertThat(m).contains("method").contains("enum"));
    }

    @Test
    void seedProfileWithoutMemoryStillValidates() throws IOException {
        JsonNode seed = new ObjectMapper().readTree("""
                {"model_id": "meta-llama/Llama-3.1-8B-Instruct", "version": "1.0.0",
                 "gpu_sharing": {"enabled": true, "memory_limit_gb": 40, "partition_id": 0, "qos_priority": "high"},
                 "guardrails": [{"type": "toxicity", "threshold": 0.3, "deployment": "sidecar"}],
                 "finetuning": {"base_model": "meta-llama/Llama-3.1-8B-Instruct", "method": "lora",
                                "checkpoint": "harbor.example.com/aim-models/llama-3-finetuned:v1"}}
                """);

        assertThat(violations(seed)).isEmpty();
    }

    @Test
    void fullFineTuningOf8bOnA48GibPartitionDoesNotFit() {
        ProfileRequest request = ProfileRequest.of("meta-llama/Llama-3.1-8B", FinetuneMethod.FULL, WeightDtype.BF16, 48);

        assertThatThrownBy(() -> AimProfileGenerator.generate(PublishedConfigs.shape("llama-3.1-8b"), request))
                .isInstanceOf(ProfileDoesNotFitException.class)
                .hasMessage("full fine-tuning of meta-llama/Llama-3.1-8B needs 136.9 GiB (weights 44.9 GiB, "
                        + "gradients 29.9 GiB, AdamW states 59.8 GiB, activations 2.3 GiB at 2048 tokens x 1 with "
                        + "gradient checkpointing on) but the partition has 48.0 GiB; try --method lora or qlora, "
                        + "or a larger partition");
    }
}
