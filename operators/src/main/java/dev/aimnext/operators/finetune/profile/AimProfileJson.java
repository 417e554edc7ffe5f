package dev.aimnext.operators.finetune.profile;

import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.memory.ServingPlan;
import dev.aimnext.operators.finetune.profile.memory.TrainingMemory;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.ParameterCount;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes an {@link AimProfile} as the seed's unified AIM profile ({@code model_id},
 * {@code gpu_sharing}, {@code guardrails}, {@code finetuning}) plus a {@code memory} section with
 * every computed size in bytes. The shape is fixed by
 * {@code aim-schemas/profile/aim-profile.schema.json} in the schemas module.
 */
public final class AimProfileJson {

    /** Classpath location of the profile's JSON Schema (schemas module). */
    public static final String SCHEMA_RESOURCE = "/aim-schemas/profile/aim-profile.schema.json";

    public static final String PROFILE_VERSION = "1.0.0";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AimProfileJson() {}

    public static String toPrettyString(AimProfile profile) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(profile));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write profile JSON", e);
        }
    }

    public static ObjectNode toJson(AimProfile profile) {
        ProfileRequest request = profile.request();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("model_id", request.modelId());
        root.put("version", PROFILE_VERSION);

        ObjectNode sharing = root.putObject("gpu_sharing");
        sharing.put("enabled", true);
        sharing.put("memory_limit_gb", request.partitionGb());
        sharing.put("partition_id", request.partitionId());
        sharing.put("qos_priority", request.qosPriority());

        root.putArray("guardrails");
        finetuning(root.putObject("finetuning"), profile);
        memory(root.putObject("memory"), profile);
        return root;
    }

    private static void finetuning(ObjectNode node, AimProfile profile) {
        ProfileRequest request = profile.request();
        node.put("base_model", request.modelId());
        node.put("method", request.method().id());
        node.put("dtype", request.dtype().id());
        if (request.method().usesAdapter()) {
            ObjectNode lora = node.putObject("lora");
            lora.put("rank", request.lora().rank());
            lora.put("alpha", request.lora().alpha());
            ArrayNode targets = lora.putArray("target_modules");
            request.lora().moduleNames(profile.shape()).forEach(targets::add);
        }
        if (request.method() == FinetuneMethod.QLORA) {
            ObjectNode quant = node.putObject("quantization");
            quant.put("type", "nf4");
            quant.put("double_quant", true);
            quant.put("blocksize", 64);
            quant.put("compute_dtype", request.dtype().torchName());
        }
        ObjectNode training = node.putObject("training");
        training.put("sequence_length", request.training().sequenceLength());
        training.put("micro_batch_size", request.training().microBatchSize());
        training.put("gradient_checkpointing", request.training().gradientCheckpointing());
    }

    private static void memory(ObjectNode node, AimProfile profile) {
        node.put("partition_bytes", profile.request().partitionBytes());
        node.put("fits", true);
        model(node.putObject("model"), profile.shape(), profile.parameters());

        ObjectNode weights = node.putObject("weight_bytes");
        for (WeightDtype dtype : WeightDtype.values()) {
            weights.put(dtype.id(), dtype.bytes(profile.parameters().total()));
        }

        TrainingMemory t = profile.training();
        ObjectNode training = node.putObject("training");
        training.put("method", t.method().id());
        training.put("trainable_parameters", t.trainableParameters());
        training.put("weight_bytes", t.weightBytes());
        training.put("gradient_bytes", t.gradientBytes());
        training.put("optimizer_bytes", t.optimizerBytes());
        training.put("activation_bytes", t.activationBytes());
        boolean on = t.setup().gradientCheckpointing();
        training.put("activation_bytes_checkpointing_on", on ? t.activationBytes() : t.activationBytesOtherSetting());
        training.put("activation_bytes_checkpointing_off", on ? t.activationBytesOtherSetting() : t.activationBytes());
        training.put("total_bytes", t.totalBytes());

        ServingPlan s = profile.serving();
        ObjectNode serving = node.putObject("serving");
        serving.put("gpu_memory_utilization", s.gpuMemoryUtilization());
        serving.put("budget_bytes", s.budgetBytes());
        serving.put("weight_bytes", s.weightBytes());
        serving.put("lora_bytes", s.loraBytes());
        serving.put("runtime_overhead_bytes", s.runtimeOverheadBytes());
        serving.put("kv_cache_budget_bytes", s.kvBudgetBytes());
        serving.put("kv_cache_dtype", s.kvCacheDtype());
        serving.put("kv_bytes_per_token", s.kvBytesPerToken());
        serving.put("kv_bytes_per_sequence", s.kvBytesPerSequence());
        serving.put("max_model_len", s.maxModelLen());
        serving.put("longest_fitting_model_len", s.longestFittingModelLen());
        serving.put("max_concurrent_sequences", s.maxConcurrentSequences());
        ArrayNode args = serving.putArray("vllm_args");
        s.vllmArgs().forEach(args::add);
    }

    private static void model(ObjectNode node, ModelShape shape, ParameterCount params) {
        node.put("model_type", shape.modelType());
        node.put("layers", shape.layers());
        node.put("hidden_size", shape.hiddenSize());
        node.put("intermediate_size", shape.intermediateSize());
        node.put("attention_heads", shape.attentionHeads());
        node.put("kv_heads", shape.kvHeads());
        node.put("head_dim", shape.headDim());
        node.put("vocab_size", shape.vocabSize());
        node.put("tied_embeddings", shape.tiedEmbeddings());
        node.put("sliding_window", shape.slidingWindow());
        node.put("sliding_layers", shape.slidingLayers());
        node.put("max_position_embeddings", shape.maxPositionEmbeddings());
        shape.mixtureOfExperts().ifPresent(moe -> {
            ObjectNode experts = node.putObject("experts");
            experts.put("count", moe.experts());
            experts.put("per_token", moe.expertsPerToken());
            experts.put("intermediate_size", moe.expertIntermediateSize());
            experts.put("shared_intermediate_size", moe.sharedExpertIntermediateSize());
        });
        ObjectNode p = node.putObject("parameters");
        p.put("total", params.total());
        p.put("active_per_token", params.activePerToken());
        p.put("embeddings", params.embeddings());
        p.put("output_head", params.outputHead());
        p.put("attention", params.attention());
        p.put("mlp", params.mlp());
        p.put("router", params.router());
        p.put("norms", params.norms());
        p.put("biases", params.biases());
    }
}
