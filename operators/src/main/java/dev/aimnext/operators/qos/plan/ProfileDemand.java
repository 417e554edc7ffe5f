package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.finetune.profile.memory.KvCache;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.qos.placement.Priority;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * Reads the demand out of an AIM profile's {@code memory} section, as {@code AimProfileJson} writes
 * it: weights + LoRA slot + runtime as the resident part, and one {@code max_model_len} sequence as
 * the KV floor (vLLM will not start with less).
 */
final class ProfileDemand {

    private ProfileDemand() {}

    static ModelDemand of(JsonNode root, String source, ModelSpec spec) {
        String modelId = root.path("model_id").asText("");
        String name = spec.name().isEmpty() ? modelId : spec.name();
        if (name.isEmpty()) {
            throw new IllegalArgumentException(source + ": AIM profile has an empty model_id; name it with NAME=" + source);
        }
        JsonNode serving = root.path("memory").path("serving");
        if (!serving.isObject()) {
            throw new IllegalArgumentException(source + ": AIM profile has no memory.serving section; regenerate it "
                    + "with aim profile");
        }
        spec.dtype().ifPresent(d -> {
            throw new IllegalArgumentException("model " + name + ": an AIM profile fixes its dtype ("
                    + root.path("finetuning").path("dtype").asText("?") + "); drop :" + d.id());
        });
        long weights = required(serving, "weight_bytes", source) + required(serving, "lora_bytes", source)
                + required(serving, "runtime_overhead_bytes", source);
        long floorBytes;
        String floor;
        if (spec.kvFloor().isEmpty()) {
            floorBytes = required(serving, "kv_bytes_per_sequence", source);
            floor = "1 sequence of " + required(serving, "max_model_len", source) + " tokens";
        } else {
            KvFloor f = spec.kvFloor().get();
            String kvDtype = serving.path("kv_cache_dtype").asText("bfloat16");
            int kvBytes = ModelDemandReader.kvBytes(name, WeightDtype.BF16,
                    spec.kvDtype().orElse(WeightDtype.parse(kvDtype)));
            floorBytes = f.bytes(new KvCache(shape(root.path("memory").path("model"), source), kvBytes,
                    KvCache.DEFAULT_MAX_NUM_BATCHED_TOKENS));
            floor = f.describe();
        }
        Priority priority = spec.priority().orElseGet(() -> root.path("gpu_sharing").hasNonNull("qos_priority")
                ? Priority.parse(root.path("gpu_sharing").path("qos_priority").asText()) : Priority.MEDIUM);
        String summary = String.format(Locale.ROOT, "%s (AIM profile of %s, %s), floor %s", source, modelId,
                root.path("finetuning").path("method").asText("?"), floor);
        return new ModelDemand(name, priority, weights, floorBytes, summary);
    }

    /**
     * The shape the profile recorded, enough for {@link KvCache}: layers, KV heads, head_dim and the
     * sliding window. Fields that only change the parameter count (biases, norms) are left at defaults.
     */
    private static ModelShape shape(JsonNode model, String source) {
        int layers = (int) required(model, "layers", source);
        int heads = (int) required(model, "attention_heads", source);
        return new ModelShape(model.path("model_type").asText(""), (int) required(model, "hidden_size", source),
                (int) required(model, "intermediate_size", source), layers, heads,
                (int) required(model, "kv_heads", source), (int) required(model, "head_dim", source),
                (int) required(model, "vocab_size", source), model.path("tied_embeddings").asBoolean(false),
                false, false, false, false, 2, false, null, model.path("sliding_window").asInt(0),
                model.path("sliding_layers").asInt(0), model.path("max_position_embeddings").asInt(0), null);
    }

    private static long required(JsonNode node, String field, String source) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || v.asLong() < 0) {
            throw new IllegalArgumentException(source + ": AIM profile field '" + field
                    + "' is missing or not a whole number >= 0");
        }
        return v.asLong();
    }
}
