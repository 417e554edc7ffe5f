package dev.aimnext.operators.finetune.profile.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads a HuggingFace {@code config.json} into a {@link ModelShape}.
 *
 * <p>transformers omits a field from config.json when it equals the config class's default, so the
 * defaults that change a size are repeated here per {@code model_type}: Gemma ties its embeddings
 * while Llama, Mistral, Qwen and Phi-3 do not; {@code gemma3_text} drops its head counts and
 * vocabulary. Multimodal configs (Gemma 3 4B and larger) keep the language model in
 * {@code text_config}; only that part is sized, the vision tower is not counted.
 */
public final class HfConfigParser {

    /** Model types whose per-layer q and k get their own RMSNorm of width head_dim. */
    private static final Set<String> QK_NORM_TYPES = Set.of("qwen3", "qwen3_moe", "gemma3_text", "gemma3");

    /** Model types with sandwich norms: pre and post norms around both attention and MLP. */
    private static final Set<String> FOUR_NORM_TYPES = Set.of("gemma2", "gemma3_text", "gemma3");

    /** Qwen2 hard-codes bias=True on q/k/v (not o) without saying so in config.json. */
    private static final Set<String> QKV_BIAS_TYPES = Set.of("qwen2", "qwen2_moe");

    /** Qwen2/3 place sliding windows only on layers from {@code max_window_layers} upward. */
    private static final Set<String> MAX_WINDOW_LAYER_TYPES = Set.of("qwen2", "qwen2_moe", "qwen3", "qwen3_moe");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HfConfigParser() {}

    public static ModelShape parse(Path configJson) {
        String text;
        try {
            text = Files.readString(configJson);
        } catch (NoSuchFileException e) {
            throw new InvalidModelConfigException("model config " + configJson + " does not exist");
        } catch (IOException e) {
            throw new InvalidModelConfigException("cannot read model config " + configJson + ": " + e.getMessage(), e);
        }
        return parse(text, configJson.toString());
    }

    public static ModelShape parse(String json, String source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidModelConfigException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidModelConfigException(source + " is not a JSON object");
        }
        return parse(flatten((ObjectNode) root), source);
    }

    /** The language model's fields: {@code text_config} when present, falling back to the top level. */
    private static ObjectNode flatten(ObjectNode root) {
        JsonNode text = root.get("text_config");
        if (text == null || !text.isObject()) {
            return root;
        }
        ObjectNode merged = ((ObjectNode) text).deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getKey().endsWith("_config") && !merged.has(field.getKey())) {
                merged.set(field.getKey(), field.getValue());
            }
        }
        if (!text.has("model_type")) {
            merged.put("model_type", root.path("model_type").asText("") + "_text");
        }
        return merged;
    }

    private static ModelShape parse(ObjectNode config, String source) {
        Fields f = new Fields(config, source);
        String modelType = config.path("model_type").asText("");
        boolean gemma3 = modelType.startsWith("gemma3");
        // Gemma3TextConfig defaults, which its config.json files leave out (e.g. gemma-3-4b's text_config).
        int hidden = gemma3 ? f.intOr("hidden_size", 2304) : f.required("hidden_size");
        int layers = gemma3 ? f.intOr("num_hidden_layers", 26) : f.required("num_hidden_layers");
        int heads = gemma3 ? f.intOr("num_attention_heads", 8) : f.required("num_attention_heads");
        int kvHeads = f.intOr("num_key_value_heads", gemma3 ? 4 : heads);
        int headDim = f.intOr("head_dim", gemma3 ? 256 : 0);
        if (headDim == 0) {
            if (hidden % heads != 0) {
                throw new InvalidModelConfigException(source + ": hidden_size " + hidden
                        + " is not divisible by num_attention_heads " + heads + " and head_dim is not set");
            }
            headDim = hidden / heads;
        }
        int vocab = gemma3 ? f.intOr("vocab_size", 262_208) : f.required("vocab_size");

        MixtureOfExperts moe = mixtureOfExperts(f, config);
        int intermediate = moe != null && !config.has("intermediate_size")
                ? moe.expertIntermediateSize()
                : gemma3 ? f.intOr("intermediate_size", 9216) : f.required("intermediate_size");

        boolean attentionBias = config.path("attention_bias").asBoolean(false);
        boolean tied = config.path("tie_word_embeddings").asBoolean(modelType.startsWith("gemma"));

        int window = f.intOr("sliding_window", 0);
        int slidingLayers = window > 0 ? slidingLayers(config, modelType, layers) : 0;
        if (slidingLayers == 0) {
            window = 0;
        }
        String dtype = config.hasNonNull("torch_dtype") ? config.get("torch_dtype").asText()
                : config.hasNonNull("dtype") ? config.get("dtype").asText() : null;
        return new ModelShape(
                modelType,
                hidden,
                intermediate,
                layers,
                heads,
                kvHeads,
                headDim,
                vocab,
                tied,
                attentionBias || QKV_BIAS_TYPES.contains(modelType),
                attentionBias,
                config.path("mlp_bias").asBoolean(false),
                modelType.equals("phi3"),
                FOUR_NORM_TYPES.contains(modelType) ? 4 : 2,
                QK_NORM_TYPES.contains(modelType),
                moe,
                window,
                slidingLayers,
                f.intOr("max_position_embeddings", gemma3 ? 131_072 : 0),
                dtype);
    }

    private static MixtureOfExperts mixtureOfExperts(Fields f, ObjectNode config) {
        // Mixtral says num_local_experts, Qwen-MoE and OLMoE say num_experts.
        int experts = f.intOr("num_local_experts", f.intOr("num_experts", 0));
        if (experts < 2) {
            return null;
        }
        int perToken = f.required("num_experts_per_tok");
        // Mixtral's experts are as wide as intermediate_size; Qwen-MoE names their width separately.
        int width = config.has("moe_intermediate_size") ? f.required("moe_intermediate_size") : f.required("intermediate_size");
        return new MixtureOfExperts(experts, perToken, width, f.intOr("shared_expert_intermediate_size", 0));
    }

    /** How many layers use the sliding window, by the rule the model's transformers code applies. */
    private static int slidingLayers(ObjectNode config, String modelType, int layers) {
        JsonNode layerTypes = config.get("layer_types");
        if (layerTypes != null && layerTypes.isArray()) {
            int sliding = 0;
            for (JsonNode type : layerTypes) {
                if (type.asText().equals("sliding_attention")) {
                    sliding++;
                }
            }
            return sliding;
        }
        if (MAX_WINDOW_LAYER_TYPES.contains(modelType)) {
            // Qwen2/3 ship a sliding_window value but switch it on only with use_sliding_window.
            if (!config.path("use_sliding_window").asBoolean(false)) {
                return 0;
            }
            int fullLayers = Math.min(layers, config.path("max_window_layers").asInt(layers));
            return layers - fullLayers;
        }
        if (config.hasNonNull("sliding_window_pattern")) {
            // Gemma 3: every pattern-th layer is global, the others slide.
            int pattern = config.get("sliding_window_pattern").asInt();
            return pattern > 0 ? layers - layers / pattern : 0;
        }
        if (modelType.equals("gemma2")) {
            // Gemma 2 alternates: even layers slide (window 4096), odd layers attend globally.
            return (layers + 1) / 2;
        }
        if (modelType.startsWith("gemma3")) {
            return layers - layers / 6; // Gemma3TextConfig's default sliding_window_pattern is 6
        }
        return layers; // Mistral v0.1, Phi-3, Mixtral: a window on every layer when set
    }

    /** Typed access to integer fields, with the field named in every error. */
    private record Fields(ObjectNode config, String source) {

        int required(String name) {
            JsonNode node = config.get(name);
            if (node == null || node.isNull()) {
                throw new InvalidModelConfigException(source + " is missing required field '" + name + "'");
            }
            return positive(name, node);
        }

        int intOr(String name, int fallback) {
            JsonNode node = config.get(name);
            return node == null || node.isNull() ? fallback : positive(name, node);
        }

        private int positive(String name, JsonNode node) {
            if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1) {
                throw new InvalidModelConfigException(source + ": field '" + name
                        + "' must be a positive whole number, got " + node);
            }
            return node.intValue();
        }
    }
}
