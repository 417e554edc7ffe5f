package dev.aimnext.operators.finetune.spec;

import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.model.HfConfigParser;
import dev.aimnext.operators.finetune.profile.model.InvalidModelConfigException;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec.BaseModel;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec.CheckpointPolicy;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec.DatasetSource;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec.Output;
import dev.aimnext.operators.finetune.spec.FineTuningJobSpec.Resources;
import dev.aimnext.operators.finetune.template.TrainingTemplate;
import dev.aimnext.operators.finetune.template.TrainingTemplateParser;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a {@code FineTuningJob} YAML file into a {@link FineTuningJobSpec}, merging the template it
 * extends. Validation does not stop at the first problem: every field is checked, each problem is
 * recorded with its field path ({@code spec.hyperparameters.learningRate: must be in (0, 0.01], was 3}),
 * and a {@link SpecException} lists them all. Besides the values themselves it checks what only a
 * reader of the whole file can: the model folder has config.json and tokenizer.json, {@code maxSeqLen}
 * fits the model's positions, LoRA fields are not set for a full fine-tune, the dataset format
 * matches the task.
 */
public final class FineTuningJobParser {

    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations");
    private static final Set<String> SPEC = Set.of("template", "task", "baseModel", "method", "dataset",
            "hyperparameters", "output", "resources", "checkpoint");
    private static final Set<String> BASE_MODEL = Set.of("modelId", "profile", "path");
    private static final Set<String> DATASET = Set.of("source", "format", "prepare");
    private static final Set<String> OUTPUT = Set.of("path", "registry", "profile", "mergeWeights");
    private static final Set<String> RESOURCES = Set.of("gpuMemoryGb", "gpus");
    private static final Set<String> CHECKPOINT = Set.of("everySteps", "keepLast", "keepBest");
    private static final Map<String, FinetuneMethod> METHODS = ids(FinetuneMethod.values(), FinetuneMethod::id);
    private static final Map<String, TrainingTask> TASKS = ids(TrainingTask.values(), TrainingTask::id);
    private static final Map<String, DatasetInputFormat> FORMATS = ids(DatasetInputFormat.values(), DatasetInputFormat::id);
    private static final Map<String, Boolean> PROFILE_CHOICES = new LinkedHashMap<>();

    static {
        PROFILE_CHOICES.put("auto-generate", true);
        PROFILE_CHOICES.put("none", false);
    }

    private final Path specFile;
    private final Path baseDir;
    private final List<Path> templateDirs;
    private final List<String> errors = new ArrayList<>();

    private FineTuningJobParser(Path specFile, List<Path> templateDirs) {
        this.specFile = specFile;
        Path parent = specFile.toAbsolutePath().normalize().getParent();
        this.baseDir = parent != null ? parent : Path.of("").toAbsolutePath();
        this.templateDirs = List.copyOf(templateDirs);
    }

    /** @throws SpecException listing every problem of the file */
    public static FineTuningJobSpec parse(Path specFile) throws IOException {
        return parse(specFile, List.of());
    }

    /** @param templateDirs folders searched for {@code NAME.yaml} before the ones above the spec */
    public static FineTuningJobSpec parse(Path specFile, List<Path> templateDirs) throws IOException {
        return parse(Files.readString(specFile), specFile, templateDirs);
    }

    /**
     * Parses {@code yaml} as if it were the file {@code specFile}: relative paths and template
     * search start from that file's folder, and errors name it.
     */
    public static FineTuningJobSpec parse(String yaml, Path specFile, List<Path> templateDirs) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new SpecException(specFile.toString(), List.of("(file): not valid YAML: " + e.getMessage()));
        }
        return new FineTuningJobParser(specFile, templateDirs).job(root);
    }

    private FineTuningJobSpec job(Object root) {
        if (!(root instanceof Map<?, ?>)) {
            throw new SpecException(specFile.toString(), List.of("(file): expected a FineTuningJob mapping "
                    + "(apiVersion, kind, metadata, spec), was " + (root == null ? "empty" : SpecNode.describe(root))));
        }
        SpecNode top = SpecNode.of(root, "", errors, TOP);
        expect(top, "apiVersion", FineTuningJobSpec.API_VERSION);
        expect(top, "kind", FineTuningJobSpec.KIND);
        String name = name(top.child("metadata", METADATA));
        SpecNode spec = top.child("spec", SPEC);
        if (!top.has("spec")) {
            errors.add("spec: is required");
        }

        String templateRef = spec.string("template");
        TrainingTemplate template = templateRef == null ? null : template(spec, templateRef);
        boolean templateBroken = templateRef != null && template == null;

        TrainingTask task = or(spec.choice("task", TASKS), TrainingTask.CAUSAL_LM);
        FinetuneMethod method = spec.choice("method", METHODS);
        if (method == null && !spec.has("method")) {
            if (template != null) {
                method = template.method();
            } else if (!templateBroken) {
                spec.error("method", "is required: lora, qlora or full (or extend a template that sets it)");
            }
        }
        ModelShape[] shape = new ModelShape[1];
        BaseModel baseModel = baseModel(spec.child("baseModel", BASE_MODEL), shape);
        DatasetSource dataset = dataset(spec.child("dataset", DATASET), template, task);
        JobHyperparameters hyper = new HyperparameterReader(spec.child("hyperparameters", HyperparameterReader.FIELDS),
                template, templateBroken).read(method, shape[0]);
        Output output = output(spec.child("output", OUTPUT), method);
        Resources resources = resources(spec.child("resources", RESOURCES));
        SpecNode checkpointNode = spec.child("checkpoint", CHECKPOINT);
        CheckpointPolicy checkpoint = new CheckpointPolicy(
                or(checkpointNode.integer("everySteps", 1, 1_000_000), CheckpointPolicy.DEFAULT.everySteps()),
                or(checkpointNode.integer("keepLast", 1, 1000), CheckpointPolicy.DEFAULT.keepLast()),
                or(checkpointNode.bool("keepBest"), CheckpointPolicy.DEFAULT.keepBest()));
        if (!errors.isEmpty()) {
            throw new SpecException(specFile.toString(), errors);
        }
        return new FineTuningJobSpec(name, templateRef, task, baseModel, method, dataset, hyper, output, resources,
                checkpoint, specFile);
    }

    private void expect(SpecNode top, String key, String wanted) {
        String value = top.string(key);
        if (value == null && !top.has(key)) {
            errors.add(key + ": is required and must be " + wanted);
        } else if (value != null && !value.equals(wanted)) {
            errors.add(key + ": must be " + wanted + ", was '" + value + "'");
        }
    }

    /** A DNS-1123 label, because the name becomes part of run ids, folder names and Kubernetes Job names. */
    private String name(SpecNode metadata) {
        String name = metadata.has("name") ? metadata.string("name") : null;
        if (!metadata.has("name")) {
            errors.add("metadata.name: is required");
        } else if (name != null && !isDnsLabel(name)) {
            metadata.error("name", "must be at most 63 lowercase letters, digits and '-', starting and ending "
                    + "with a letter or digit (a Kubernetes name), was '" + name + "'");
        }
        return name;
    }

    private TrainingTemplate template(SpecNode spec, String ref) {
        try {
            return TrainingTemplateParser.parse(TemplateLocator.locate(ref, baseDir, templateDirs));
        } catch (IOException | IllegalArgumentException e) {
            spec.error("template", e.getMessage());
            return null;
        }
    }

    private BaseModel baseModel(SpecNode node, ModelShape[] shape) {
        String modelId = node.requiredString("modelId");
        String path = node.requiredString("path");
        if (path == null) {
            return new BaseModel(modelId, node.string("profile"), null);
        }
        Path dir = baseDir.resolve(path).normalize();
        if (!Files.isDirectory(dir)) {
            node.error("path", dir + " is not a folder (it must hold config.json and tokenizer.json)");
        } else {
            for (String file : List.of("config.json", "tokenizer.json")) {
                if (!Files.isRegularFile(dir.resolve(file))) {
                    node.error("path", "no " + file + " in " + dir);
                }
            }
            if (Files.isRegularFile(dir.resolve("config.json"))) {
                try {
                    shape[0] = HfConfigParser.parse(dir.resolve("config.json"));
                } catch (InvalidModelConfigException e) {
                    node.error("path", e.getMessage());
                }
            }
        }
        return new BaseModel(modelId, node.string("profile"), dir);
    }

    private DatasetSource dataset(SpecNode node, TrainingTemplate template, TrainingTask task) {
        String source = node.requiredString("source");
        DatasetInputFormat format = or(node.choice("format", FORMATS), DatasetInputFormat.AUTO);
        if (source != null && !isUri(source)) {
            Path local = baseDir.resolve(source).normalize();
            source = local.toString();
            if (!Files.exists(local)) {
                node.error("source", local + " does not exist");
            } else if (format == DatasetInputFormat.PREPARED && !Files.isRegularFile(local.resolve("manifest.json"))) {
                node.error("source", "format prepared needs the dataset job's output folder, but " + local
                        + " has no manifest.json");
            }
        }
        boolean classification = format == DatasetInputFormat.CLASSIFICATION;
        if (classification != (task == TrainingTask.SEQUENCE_CLASSIFICATION) && node.has("format")) {
            node.error("format", classification ? "classification data needs spec.task: sequence_classification"
                    : "task sequence_classification needs format classification (text/label JSONL), was " + format.id());
        }
        Map<String, String> prepare = new LinkedHashMap<>(template == null ? Map.of() : template.dataset());
        Object raw = node.raw("prepare");
        if (raw instanceof Map<?, ?> settings) {
            settings.forEach((k, v) -> {
                if (v instanceof Map<?, ?> || v instanceof List<?>) {
                    node.errorAt(node.pathOf("prepare") + "." + k, "must be a single value");
                } else {
                    prepare.put(String.valueOf(k), String.valueOf(v));
                }
            });
        } else if (raw != null) {
            node.error("prepare", "must be a mapping of dataset job settings (prepare.yaml keys)");
        }
        return new DatasetSource(source, format, prepare);
    }

    private Output output(SpecNode node, FinetuneMethod method) {
        String path = node.string("path");
        String registry = node.string("registry");
        if (!node.has("path") && !node.has("registry")) {
            errors.add(node.path() + ": needs path (a folder or s3://... URI) or registry (e.g. hf://org/name)");
        } else if (node.has("path") && node.has("registry")) {
            node.error("registry", "path and registry exclude each other; keep one");
        }
        if (registry != null && !isRegistryReference(registry)) {
            node.error("registry", "must be a registry reference such as harbor.example.com/aim-models or "
                    + "hf://org/name, was '" + registry + "'");
        }
        if (path != null && !isUri(path)) {
            path = baseDir.resolve(path).normalize().toString();
        }
        boolean merge = or(node.bool("mergeWeights"), false);
        if (merge && method == FinetuneMethod.FULL) {
            node.error("mergeWeights", "has no effect with method full: the output already is the whole model");
        }
        return new Output(path, registry, or(node.choice("profile", PROFILE_CHOICES), true), merge);
    }

    private Resources resources(SpecNode node) {
        Double memory = node.number("gpuMemoryGb", 0, true, 4096, false);
        if (!node.has("gpuMemoryGb")) {
            node.error("gpuMemoryGb", "is required: the memory of each GPU or partition, in GiB");
        }
        return new Resources(memory == null ? Double.NaN : memory, or(node.integer("gpus", 1, 64), 1));
    }

    static boolean isUri(String text) {
        int scheme = text.indexOf("://");
        return scheme > 0 && text.substring(0, scheme).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+'
                || c == '-' || c == '.');
    }

    /** An OCI repository ({@code host[:port]/path}) or a URI such as {@code hf://org/name}. */
    static boolean isRegistryReference(String text) {
        if (text.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        if (isUri(text)) {
            return text.length() > text.indexOf("://") + 3;
        }
        int slash = text.indexOf('/');
        String host = slash < 0 ? "" : text.substring(0, slash);
        return slash > 0 && slash < text.length() - 1
                && (host.contains(".") || host.contains(":") || host.equals("localhost"));
    }

    static boolean isDnsLabel(String name) {
        if (name.isEmpty() || name.length() > 63 || name.startsWith("-") || name.endsWith("-")) {
            return false;
        }
        return name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static <E> Map<String, E> ids(E[] values, java.util.function.Function<E, String> id) {
        Map<String, E> m = new LinkedHashMap<>();
        for (E v : values) {
            m.put(id.apply(v), v);
        }
        return m;
    }
}
