package dev.aimnext.operators.finetune.spec;

import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.model.HfConfigParser;
import dev.aimnext.operators.finetune.profile.model.ModelShape;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code FineTuningJob} (apiVersion {@value #API_VERSION}), the same shape the CRD will
 * have, with its template already merged in: every value is the spec's own or, where the spec is
 * silent, the template's. Relative local paths are already resolved against the spec's folder.
 * Built only by {@link FineTuningJobParser}, which is where the rules live.
 *
 * @param name {@code metadata.name}, a DNS-1123 label, used in run ids and Kubernetes Job names
 * @param template the template it extends ({@code chat}, or a file path), or {@code null}
 * @param source the spec file, for messages
 */
public record FineTuningJobSpec(
        String name,
        String template,
        TrainingTask task,
        BaseModel baseModel,
        FinetuneMethod method,
        DatasetSource dataset,
        JobHyperparameters hyperparameters,
        Output output,
        Resources resources,
        CheckpointPolicy checkpoint,
        Path source) {

    public static final String API_VERSION = "aim.amd.com/v1alpha1";
    public static final String KIND = "FineTuningJob";

    /** Classpath location of the spec's JSON Schema (schemas module), for editors and CRD validation. */
    public static final String SCHEMA_RESOURCE = "/aim-schemas/profile/fine-tuning-job.schema.json";

    public FineTuningJobSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(hyperparameters, "hyperparameters");
    }

    public Optional<String> templateName() {
        return Optional.ofNullable(template);
    }

    /**
     * The model to start from.
     *
     * @param modelId the HuggingFace id, recorded in the trainer config and the generated profile
     * @param profile the base model's AIM profile (id or file), or {@code null}
     * @param path a local folder with {@code config.json} and {@code tokenizer.json} (and the weights)
     */
    public record BaseModel(String modelId, String profile, Path path) {

        public Path configJson() {
            return path.resolve("config.json");
        }

        public Path tokenizerJson() {
            return path.resolve("tokenizer.json");
        }

        /** The model's sizes from its config.json, which the sizer and the target-module names need. */
        public ModelShape readShape() {
            return HfConfigParser.parse(configJson());
        }
    }

    /**
     * The training data.
     *
     * @param source a local file or folder (resolved to absolute) or a URI Flink's file systems read ({@code s3://...})
     * @param prepare dataset job settings ({@code prepare.yaml} keys): the template's {@code dataset:}
     *     section overlaid with {@code spec.dataset.prepare}; the dataset job validates them
     */
    public record DatasetSource(String source, DatasetInputFormat format, Map<String, String> prepare) {

        public DatasetSource {
            prepare = Map.copyOf(prepare);
        }
    }

    /**
     * Where the result goes: exactly one of a path (local or a Flink file-system URI) and a registry
     * reference (e.g. {@code hf://org/name}).
     *
     * @param generateProfile {@code profile: auto-generate}: write the fine-tuned model's AIM profile at the end
     * @param mergeWeights also write the base with the adapter merged in (lora and qlora)
     */
    public record Output(String path, String registry, boolean generateProfile, boolean mergeWeights) {

        /** The path or else the registry reference. */
        public String location() {
            return path != null ? path : registry;
        }
    }

    /**
     * What one run may use.
     *
     * @param gpuMemoryGb memory of each GPU (or partition) in GiB, as amd-smi and nvidia-smi report it
     * @param gpus data-parallel GPUs; each holds a full replica
     */
    public record Resources(double gpuMemoryGb, int gpus) {

        public long gpuMemoryBytes() {
            return (long) Math.floor(gpuMemoryGb * (1L << 30));
        }
    }

    /** Checkpoint cadence and retention: the last {@code keepLast}, plus the best by eval loss when {@code keepBest}. */
    public record CheckpointPolicy(int everySteps, int keepLast, boolean keepBest) {

        public static final CheckpointPolicy DEFAULT = new CheckpointPolicy(200, 3, true);
    }
}
