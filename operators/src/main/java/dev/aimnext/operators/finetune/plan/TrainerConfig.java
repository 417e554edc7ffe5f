package dev.aimnext.operators.finetune.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * The trainer config of docs/FINETUNE-PROTOCOL.md section 1, field for field: what the driver
 * writes to {@code RUN_DIR/trainer-config.json} and a trainer reads with {@code --config}. Reading
 * is as strict as the protocol asks: an unknown key or a missing one is an error, because a typo
 * must not silently change a run.
 */
@JsonPropertyOrder({"run_id", "task", "base_model", "method", "dataset", "hyperparameters", "lora", "qlora", "run_dir",
        "resume_from", "checkpoint", "eval_every_steps", "log_every_steps"})
public record TrainerConfig(
        @JsonProperty("run_id") String runId,
        @JsonProperty("task") String task,
        @JsonProperty("base_model") BaseModel baseModel,
        @JsonProperty("method") String method,
        @JsonProperty("dataset") Dataset dataset,
        @JsonProperty("hyperparameters") Hyperparameters hyperparameters,
        @JsonProperty("lora") Lora lora,
        @JsonProperty("qlora") Qlora qlora,
        @JsonProperty("run_dir") String runDir,
        @JsonProperty("resume_from") String resumeFrom,
        @JsonProperty("checkpoint") Checkpoint checkpoint,
        @JsonProperty("eval_every_steps") int evalEverySteps,
        @JsonProperty("log_every_steps") int logEverySteps) {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** {@code model_type} is config.json's, so the trainer can pick per-architecture behaviour without reading it twice. */
    @JsonPropertyOrder({"model_id", "path", "model_type"})
    public record BaseModel(@JsonProperty("model_id") String modelId, @JsonProperty("path") String path,
            @JsonProperty("model_type") String modelType) {}

    /** @param eval {@code null} when there is no eval split */
    @JsonPropertyOrder({"train", "eval", "format", "content_hash"})
    public record Dataset(@JsonProperty("train") String train, @JsonProperty("eval") String eval,
            @JsonProperty("format") String format, @JsonProperty("content_hash") String contentHash) {}

    /** @param maxSteps {@code null} when the epochs decide the length of the run */
    @JsonPropertyOrder({"learning_rate", "epochs", "micro_batch_size", "gradient_accumulation_steps", "max_seq_len",
            "warmup_ratio", "lr_scheduler", "weight_decay", "gradient_checkpointing", "seed", "bf16", "max_steps"})
    public record Hyperparameters(
            @JsonProperty("learning_rate") double learningRate,
            @JsonProperty("epochs") int epochs,
            @JsonProperty("micro_batch_size") int microBatchSize,
            @JsonProperty("gradient_accumulation_steps") int gradientAccumulationSteps,
            @JsonProperty("max_seq_len") int maxSeqLen,
            @JsonProperty("warmup_ratio") double warmupRatio,
            @JsonProperty("lr_scheduler") String lrScheduler,
            @JsonProperty("weight_decay") double weightDecay,
            @JsonProperty("gradient_checkpointing") boolean gradientCheckpointing,
            @JsonProperty("seed") long seed,
            @JsonProperty("bf16") boolean bf16,
            @JsonProperty("max_steps") Integer maxSteps) {}

    /** @param targetModules PEFT names for the model's architecture, e.g. {@code qkv_proj} on Phi-3 */
    @JsonPropertyOrder({"rank", "alpha", "dropout", "target_modules"})
    public record Lora(@JsonProperty("rank") int rank, @JsonProperty("alpha") int alpha,
            @JsonProperty("dropout") double dropout, @JsonProperty("target_modules") List<String> targetModules) {

        public Lora {
            targetModules = List.copyOf(targetModules);
        }
    }

    /** bitsandbytes' 4-bit load: {@code bnb_4bit_quant_type}, {@code bnb_4bit_use_double_quant}, {@code bnb_4bit_compute_dtype}. */
    @JsonPropertyOrder({"quant_type", "double_quant", "compute_dtype"})
    public record Qlora(@JsonProperty("quant_type") String quantType, @JsonProperty("double_quant") boolean doubleQuant,
            @JsonProperty("compute_dtype") String computeDtype) {}

    @JsonPropertyOrder({"every_steps", "keep_last", "keep_best"})
    public record Checkpoint(@JsonProperty("every_steps") int everySteps, @JsonProperty("keep_last") int keepLast,
            @JsonProperty("keep_best") boolean keepBest) {}

    /** The same config for another attempt: only {@code resume_from} changes between attempts. */
    public TrainerConfig withResumeFrom(String checkpointPath) {
        return new TrainerConfig(runId, task, baseModel, method, dataset, hyperparameters, lora, qlora, runDir,
                checkpointPath, checkpoint, evalEverySteps, logEverySteps);
    }

    /** Pretty-printed JSON with the keys in the protocol's order; absent values are written as {@code null}. */
    public String toJson() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write trainer config", e);
        }
    }

    /** @throws IllegalArgumentException on an unknown or missing key, or a value of the wrong type */
    public static TrainerConfig parse(String json) {
        try {
            return MAPPER.readValue(json, TrainerConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid trainer config: " + e.getOriginalMessage(), e);
        }
    }
}
