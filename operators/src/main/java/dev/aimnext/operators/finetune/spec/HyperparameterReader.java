package dev.aimnext.operators.finetune.spec;

import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.adapter.LoraTarget;
import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.model.ModelShape;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.finetune.template.Hyperparameters;
import dev.aimnext.operators.finetune.template.TrainingTemplate;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code spec.hyperparameters} over the template's values: a field the spec sets wins, one it
 * leaves out comes from the template, then from the defaults below. The template's
 * micro-batch × accumulation becomes the default {@code batchSize}; its split, and its
 * {@code gradient_checkpointing}, are not inherited, because the sizer chooses both for the GPU
 * the job actually gets.
 */
final class HyperparameterReader {

    static final Set<String> FIELDS = Set.of("learningRate", "batchSize", "epochs", "loraRank", "loraAlpha",
            "loraDropout", "targetModules", "maxSeqLen", "gradientCheckpointing", "seed", "warmupRatio",
            "lrScheduler", "weightDecay", "maxSteps", "evalEverySteps", "logEverySteps", "precision");
    private static final List<String> LORA_FIELDS = List.of("loraRank", "loraAlpha", "loraDropout", "targetModules");
    private static final Map<String, String> SCHEDULERS = orderedMap("cosine", "linear", "constant");
    private static final Map<String, WeightDtype> PRECISIONS = new LinkedHashMap<>();
    // No fp16: the trainer protocol carries only bf16 on or off, and fp16 training needs loss scaling it does not set up.

    static {
        PRECISIONS.put("bf16", WeightDtype.BF16);
        PRECISIONS.put("fp32", WeightDtype.FP32);
    }

    static final int DEFAULT_BATCH_SIZE = 16;
    static final int DEFAULT_MAX_SEQ_LEN = 2048;
    static final int DEFAULT_LORA_RANK = 16;

    private final SpecNode node;
    private final TrainingTemplate template;
    private final boolean templateBroken;

    /**
     * @param template the merged-in template, or {@code null}
     * @param templateBroken a template was named but could not be loaded: its error is already
     *     reported, so fields it would have supplied are not reported missing as well
     */
    HyperparameterReader(SpecNode node, TrainingTemplate template, boolean templateBroken) {
        this.node = node;
        this.template = template;
        this.templateBroken = templateBroken;
    }

    /** @param method the job's method, or {@code null} when it is itself invalid; shape likewise */
    JobHyperparameters read(FinetuneMethod method, ModelShape shape) {
        Hyperparameters base = template == null ? null : template.hyperparameters();
        Double learningRate = node.number("learningRate", 0, true, 0.01, false);
        if (learningRate == null && !node.has("learningRate")) {
            if (base != null) {
                learningRate = base.learningRate();
            } else if (!templateBroken) {
                node.error("learningRate", "is required (or extend a template that sets it)");
            }
        }
        int batchSize = or(node.integer("batchSize", 1, 65_536), base == null ? DEFAULT_BATCH_SIZE : base.effectiveBatchSize());
        int maxSeqLen = or(node.integer("maxSeqLen", 64, 1 << 20), base == null ? DEFAULT_MAX_SEQ_LEN : base.maxSeqLen());
        if (shape != null && shape.maxPositionEmbeddings() > 0 && maxSeqLen > shape.maxPositionEmbeddings()) {
            String from = node.has("maxSeqLen") ? "" : base != null ? " (from template " + template.name() + ")" : " (the default)";
            node.error("maxSeqLen", maxSeqLen + from + " is longer than the model's max_position_embeddings " + shape.maxPositionEmbeddings());
        }
        // One field after the other in a fixed order, so the error list reads the same on every run.
        int epochs = or(node.integer("epochs", 1, 100), base == null ? 3 : base.epochs());
        GradientCheckpointing checkpointing = checkpointing();
        long seed = or(node.integer("seed", 0, Integer.MAX_VALUE), base == null ? 42 : (int) base.seed());
        double warmupRatio = or(node.number("warmupRatio", 0, false, 0.5, false), base == null ? 0.03 : base.warmupRatio());
        String scheduler = or(node.choice("lrScheduler", SCHEDULERS), base == null ? "cosine" : base.lrScheduler());
        double weightDecay = or(node.number("weightDecay", 0, false, 1, false), base == null ? 0.0 : base.weightDecay());
        int maxSteps = or(node.integer("maxSteps", 1, 1_000_000_000), 0);
        int evalEvery = or(node.integer("evalEverySteps", 1, 1_000_000), 200);
        int logEvery = or(node.integer("logEverySteps", 1, 1_000_000), 10);
        WeightDtype precision = or(node.choice("precision", PRECISIONS), WeightDtype.BF16);
        return new JobHyperparameters(learningRate == null ? Double.NaN : learningRate, batchSize, epochs, maxSeqLen,
                checkpointing, seed, warmupRatio, scheduler, weightDecay, maxSteps, evalEvery, logEvery, precision,
                lora(method));
    }

    private GradientCheckpointing checkpointing() {
        Object v = node.raw("gradientCheckpointing");
        if (v == null) {
            return GradientCheckpointing.AUTO;
        }
        if (v instanceof Boolean b) {
            return b ? GradientCheckpointing.ON : GradientCheckpointing.OFF;
        }
        if ("auto".equals(v)) {
            return GradientCheckpointing.AUTO;
        }
        node.error("gradientCheckpointing", "must be true, false or auto, was " + SpecNode.describe(v));
        return GradientCheckpointing.AUTO;
    }

    private LoraHyperparameters lora(FinetuneMethod method) {
        if (method == FinetuneMethod.FULL) {
            for (String field : LORA_FIELDS) {
                if (node.has(field)) {
                    node.error(field, "has no effect with method full; remove it or use lora or qlora");
                }
            }
            return null;
        }
        TrainingTemplate.LoraSettings base = template == null ? null : template.lora();
        int rank = or(node.integer("loraRank", 1, 1024), base == null ? DEFAULT_LORA_RANK : base.rank());
        int alpha = or(node.integer("loraAlpha", 1, 4096), base == null ? 2 * rank : base.alpha());
        double dropout = or(node.number("loraDropout", 0, false, 0.9, false), base == null ? 0.05 : base.dropout());
        Map<String, Set<LoraTarget>> targets = targets();
        if (targets == null) {
            targets = template != null && template.lora() != null
                    ? template.targetsByArchitecture()
                    : Map.of(TrainingTemplate.DEFAULT_ARCHITECTURE, LoraSpec.ALL_LINEAR);
        }
        return new LoraHyperparameters(rank, alpha, dropout, targets);
    }

    /** {@code targetModules}: one list for every architecture, or lists per model_type with a default. */
    private Map<String, Set<LoraTarget>> targets() {
        Object v = node.raw("targetModules");
        if (v == null) {
            return null;
        }
        String path = node.pathOf("targetModules");
        Map<String, Set<LoraTarget>> out = new LinkedHashMap<>();
        if (v instanceof List<?> list) {
            out.put(TrainingTemplate.DEFAULT_ARCHITECTURE, targetList(list, path));
        } else if (v instanceof Map<?, ?> byArch) {
            byArch.forEach((arch, names) -> out.put(String.valueOf(arch), names instanceof List<?> l
                    ? targetList(l, path + "." + arch) : invalid(path + "." + arch, "must be a list such as [q, k, v, o]")));
            if (!out.containsKey(TrainingTemplate.DEFAULT_ARCHITECTURE)) {
                node.error("targetModules", "needs a 'default' entry for architectures without their own");
            }
        } else {
            node.error("targetModules", "must be a list such as [q_proj, v_proj] or lists per model_type, was "
                    + SpecNode.describe(v));
        }
        return out.containsKey(TrainingTemplate.DEFAULT_ARCHITECTURE) && out.values().stream().noneMatch(Set::isEmpty)
                ? out : null;
    }

    private Set<LoraTarget> targetList(List<?> names, String path) {
        if (names.isEmpty()) {
            return invalid(path, "must name at least one module");
        }
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        for (int i = 0; i < names.size(); i++) {
            try {
                targets.addAll(LoraSpec.parseTargets(String.valueOf(names.get(i))));
            } catch (IllegalArgumentException e) {
                return invalid(path + "[" + i + "]", e.getMessage());
            }
        }
        return targets;
    }

    private Set<LoraTarget> invalid(String path, String message) {
        node.errorAt(path, message);
        return Set.of();
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Map<String, String> orderedMap(String... keys) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, k);
        }
        return m;
    }
}
