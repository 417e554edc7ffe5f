package dev.aimnext.operators.finetune.template;

import dev.aimnext.operators.finetune.profile.adapter.LoraSpec;
import dev.aimnext.operators.finetune.profile.adapter.LoraTarget;
import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and validates a training template. Every key is checked (an unknown one fails with the
 * known ones listed), every number against its range, and the LoRA section against the method:
 * it is required for lora and qlora and refused for full, where it would silently do nothing.
 * Errors name the file and the key.
 */
public final class TrainingTemplateParser {

    private static final Set<String> TOP = Set.of("name", "description", "method", "hyperparameters", "lora", "dataset");
    private static final Set<String> HYPER = Set.of("learning_rate", "epochs", "micro_batch_size",
            "gradient_accumulation_steps", "max_seq_len", "warmup_ratio", "lr_scheduler", "weight_decay",
            "gradient_checkpointing", "seed");
    private static final Set<String> LORA = Set.of("rank", "alpha", "dropout", "targets");
    private static final Set<String> SCHEDULERS = Set.of("cosine", "linear", "constant");

    private final String source;

    private TrainingTemplateParser(String source) {
        this.source = source;
    }

    public static TrainingTemplate parse(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file)) {
            return parse(in, file.toString());
        }
    }

    /** @param source names the template in error messages */
    public static TrainingTemplate parse(Reader yaml, String source) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new TemplateException(source + ": not valid YAML: " + e.getMessage());
        }
        return new TrainingTemplateParser(source).template(root);
    }

    private TrainingTemplate template(Object root) {
        Map<String, Object> top = map(root, "the top level", TOP);
        String name = string(top, "name", null);
        FinetuneMethod method = parseMethod(string(top, "method", null));
        Hyperparameters hyper = hyperparameters(map(require(top, "hyperparameters"), "hyperparameters", HYPER));
        TrainingTemplate.LoraSettings lora = null;
        Map<String, Set<LoraTarget>> targets = Map.of();
        Object loraNode = top.get("lora");
        if (method.usesAdapter()) {
            if (loraNode == null) {
                throw error("method " + method.id() + " needs a lora: section (rank, alpha, dropout, targets)");
            }
            Map<String, Object> l = map(loraNode, "lora", LORA);
            int rank = intIn(l, "lora.rank", "rank", 1, 1024, null);
            lora = new TrainingTemplate.LoraSettings(rank, intIn(l, "lora.alpha", "alpha", 1, 4096, 2 * rank),
                    doubleIn(l, "lora.dropout", "dropout", 0, 0.9, 0.05));
            targets = targets(map(require(l, "targets"), "lora.targets", null));
        } else if (loraNode != null) {
            throw error("a lora: section does nothing with method full; remove it or use lora/qlora");
        }
        Map<String, String> dataset = new LinkedHashMap<>();
        Object datasetNode = top.get("dataset");
        if (datasetNode != null) {
            map(datasetNode, "dataset", null).forEach((k, v) -> dataset.put(k, scalar(v, "dataset." + k)));
        }
        return new TrainingTemplate(name, string(top, "description", ""), method, hyper, lora, targets, dataset);
    }

    private Hyperparameters hyperparameters(Map<String, Object> h) {
        String scheduler = string(h, "lr_scheduler", "cosine");
        if (!SCHEDULERS.contains(scheduler)) {
            throw error("hyperparameters.lr_scheduler must be cosine, linear or constant, was '" + scheduler + "'");
        }
        Object checkpointing = h.getOrDefault("gradient_checkpointing", Boolean.TRUE);
        if (!(checkpointing instanceof Boolean)) {
            throw error("hyperparameters.gradient_checkpointing must be true or false");
        }
        return new Hyperparameters(
                doubleIn(h, "hyperparameters.learning_rate", "learning_rate", 1e-7, 1e-2, null),
                intIn(h, "hyperparameters.epochs", "epochs", 1, 100, 3),
                intIn(h, "hyperparameters.micro_batch_size", "micro_batch_size", 1, 1024, 1),
                intIn(h, "hyperparameters.gradient_accumulation_steps", "gradient_accumulation_steps", 1, 4096, 1),
                intIn(h, "hyperparameters.max_seq_len", "max_seq_len", 64, 1 << 20, 2048),
                doubleIn(h, "hyperparameters.warmup_ratio", "warmup_ratio", 0, 0.5, 0.03),
                scheduler,
                doubleIn(h, "hyperparameters.weight_decay", "weight_decay", 0, 1, 0.0),
                (Boolean) checkpointing,
                intIn(h, "hyperparameters.seed", "seed", 0, Integer.MAX_VALUE, 42));
    }

    private Map<String, Set<LoraTarget>> targets(Map<String, Object> byArch) {
        if (!byArch.containsKey(TrainingTemplate.DEFAULT_ARCHITECTURE)) {
            throw error("lora.targets needs a 'default' entry for architectures without their own");
        }
        Map<String, Set<LoraTarget>> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : byArch.entrySet()) {
            if (!(e.getValue() instanceof List<?> list) || list.isEmpty()) {
                throw error("lora.targets." + e.getKey() + " must be a non-empty list such as [q, k, v, o]");
            }
            try {
                out.put(e.getKey(), LoraSpec.parseTargets(String.join(",", list.stream().map(String::valueOf).toList())));
            } catch (IllegalArgumentException bad) {
                throw error("lora.targets." + e.getKey() + ": " + bad.getMessage());
            }
        }
        return out;
    }

    private FinetuneMethod parseMethod(String text) {
        try {
            return FinetuneMethod.parse(text);
        } catch (IllegalArgumentException e) {
            throw error("method: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object node, String where, Set<String> known) {
        if (!(node instanceof Map<?, ?> raw)) {
            throw error(where + " must be a mapping");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        raw.forEach((k, v) -> m.put(String.valueOf(k), v));
        if (known != null) {
            for (String key : m.keySet()) {
                if (!known.contains(key)) {
                    throw error("unknown key '" + key + "' in " + where + "; known: " + String.join(", ", new TreeSet<>(known)));
                }
            }
        }
        return m;
    }

    private Object require(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw error("missing " + key + ":");
        }
        return v;
    }

    private String string(Map<String, Object> m, String key, String fallback) {
        Object v = m.get(key);
        if (v == null) {
            if (fallback == null) {
                throw error("missing " + key + ":");
            }
            return fallback;
        }
        return scalar(v, key);
    }

    private String scalar(Object v, String key) {
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw error(key + " must be a single value");
        }
        return String.valueOf(v);
    }

    private int intIn(Map<String, Object> m, String path, String key, int min, int max, Integer fallback) {
        Object v = m.get(key);
        if (v == null) {
            if (fallback == null) {
                throw error("missing " + path + ":");
            }
            return fallback;
        }
        if (!(v instanceof Integer i) || i < min || i > max) {
            throw error(path + " must be a whole number in [" + min + ", " + max + "], was '" + v + "'");
        }
        return i;
    }

    private double doubleIn(Map<String, Object> m, String path, String key, double min, double max, Double fallback) {
        Object v = m.get(key);
        if (v == null) {
            if (fallback == null) {
                throw error("missing " + path + ":");
            }
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() < min || n.doubleValue() > max) {
            throw error(path + " must be a number in [" + min + ", " + max + "], was '" + v + "'");
        }
        return n.doubleValue();
    }

    private TemplateException error(String message) {
        return new TemplateException(source + ": " + message);
    }
}
