package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.finetune.profile.memory.KvCache;
import dev.aimnext.operators.finetune.profile.memory.TrainingMemory;
import dev.aimnext.operators.finetune.profile.model.HfConfigParser;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.ParameterCount;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.qos.placement.Priority;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a {@link ModelSpec} into a {@link ModelDemand}. Sizes come from the profile code, never
 * recomputed here: {@link ParameterCount} and {@link WeightDtype} for weights, {@link KvCache} for
 * the KV floor. An AIM profile (see {@code AimProfileJson}) already holds its weights, LoRA slot and
 * runtime memory, which are counted too; a bare config.json counts weights only, and the partition's
 * unused {@code gpu-memory-utilization} share is what is left for the runtime.
 */
public final class ModelDemandReader {

    /** Context of the one sequence a model must hold when no KV floor is given (capped at its trained length). */
    public static final long DEFAULT_FLOOR_TOKENS = 8192;

    /** KV cache dtypes vLLM accepts ({@code --kv-cache-dtype}). */
    private static final Set<WeightDtype> KV_DTYPES = Set.of(WeightDtype.FP32, WeightDtype.BF16, WeightDtype.FP16,
            WeightDtype.FP8);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelDemandReader() {}

    /** Reads the file the spec names; a JSON object with {@code model_id} and {@code memory} is an AIM profile. */
    public static ModelDemand read(ModelSpec spec) {
        String source = spec.file().toString();
        String text;
        try {
            text = Files.readString(spec.file());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("model file " + source + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + source + ": " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root != null && root.has("model_id") && root.has("finetuning")) {
            return ProfileDemand.of(root, source, spec);
        }
        if (spec.name().isEmpty()) {
            throw new IllegalArgumentException("model " + source + " is a config.json, so it needs a name: NAME="
                    + source);
        }
        ModelShape shape = HfConfigParser.parse(text, source);
        WeightDtype dtype = spec.dtype().orElseGet(() -> checkpointDtype(shape));
        return fromShape(spec.name(), shape, dtype, spec.kvDtype().orElse(null), spec.kvFloor().orElse(null),
                spec.priority().orElse(Priority.MEDIUM), source);
    }

    /**
     * The demand of a model of {@code shape} served in {@code dtype}.
     *
     * @param kvDtype the KV cache dtype, or null for vLLM's {@code auto} (the activation dtype)
     * @param floor the KV floor, or null for one sequence of {@link #DEFAULT_FLOOR_TOKENS}
     */
    public static ModelDemand fromShape(String name, ModelShape shape, WeightDtype dtype, WeightDtype kvDtype,
            KvFloor floor, Priority priority, String source) {
        ParameterCount params = ParameterCount.of(shape);
        // A 4-bit load quantizes the decoder's Linear layers only; the rest stays in bf16.
        long weights = dtype == WeightDtype.NF4 ? TrainingMemory.qloraBaseBytes(params, WeightDtype.BF16)
                : dtype.bytes(params.total());
        KvCache kv = new KvCache(shape, kvBytes(name, dtype, kvDtype), KvCache.DEFAULT_MAX_NUM_BATCHED_TOKENS);
        long trained = shape.maxPositionEmbeddings();
        KvFloor f = floor != null ? floor
                : KvFloor.ofSequences(trained > 0 ? Math.min(trained, DEFAULT_FLOOR_TOKENS) : DEFAULT_FLOOR_TOKENS, 1);
        if (f.perSequence() && trained > 0 && f.tokens() > trained) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "model %s: a KV floor of %d tokens exceeds its max_position_embeddings %d", name, f.tokens(),
                    trained));
        }
        String summary = String.format(Locale.ROOT, "%s, %s, %.2fB parameters, KV %d B/token, floor %s", source,
                dtype.id(), params.total() / 1e9, kv.bytesPerToken(), f.describe());
        return new ModelDemand(name, priority, weights, f.bytes(kv), summary);
    }

    /** Bytes per KV element: the given KV dtype, else the activation dtype (fp32 or 16-bit). */
    static int kvBytes(String name, WeightDtype dtype, WeightDtype kvDtype) {
        if (kvDtype == null) {
            // vLLM's --kv-cache-dtype auto follows the activations, which are 16-bit unless the model runs in fp32.
            return dtype == WeightDtype.FP32 ? 4 : 2;
        }
        if (!KV_DTYPES.contains(kvDtype)) {
            throw new IllegalArgumentException("model " + name + ": kv-dtype must be fp32, bf16, fp16 or fp8, got "
                    + kvDtype.id());
        }
        return (int) kvDtype.bytes(1);
    }

    /** The dtype the checkpoint is stored in when it is one vLLM serves as is, else bf16. */
    private static WeightDtype checkpointDtype(ModelShape shape) {
        if (shape.torchDtype() == null) {
            return WeightDtype.BF16;
        }
        try {
            WeightDtype d = WeightDtype.parse(shape.torchDtype());
            return d == WeightDtype.FP32 || d == WeightDtype.FP16 ? d : WeightDtype.BF16;
        } catch (IllegalArgumentException e) {
            return WeightDtype.BF16;
        }
    }
}
