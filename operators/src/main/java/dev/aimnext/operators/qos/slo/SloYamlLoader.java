package dev.aimnext.operators.qos.slo;

import dev.aimnext.operators.qos.placement.Priority;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the per-model SLO file:
 *
 * <pre>{@code
 * models:
 *   llama-3.1-8b:
 *     ttft_p99_ms: 300
 *     tpot_p99_ms: 40
 *     e2e_p99_ms: 6000
 *     priority: high        # high | medium | low
 *     min_memory: 24GiB
 *     max_memory: 48GiB     # optional; none means no cap
 * }</pre>
 *
 * <p>Keys are strict: an unknown or repeated key is an error, because a misspelt {@code ttft_p99_ms}
 * would otherwise leave the model without an objective and every request would count as within it.
 * Every message names the source, the line and the key. Objectives left out are 0 (none), priority
 * defaults to medium and memory bounds to 0 (no floor, no cap).
 */
public final class SloYamlLoader {

    private static final Set<String> TOP_LEVEL = Set.of("models");
    private static final Set<String> MODEL_KEYS =
            Set.of("ttft_p99_ms", "tpot_p99_ms", "e2e_p99_ms", "priority", "min_memory", "max_memory");

    private SloYamlLoader() {}

    public static SloCatalog loadFile(Path file) {
        try {
            return load(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read SLO file " + file + ": " + e.getMessage());
        }
    }

    /**
     * @param source where the text came from, for error messages
     * @throws IllegalArgumentException naming the source, line and key of the first problem
     */
    public static SloCatalog load(String yaml, String source) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(yaml));
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null) {
            throw new IllegalArgumentException(source + ": the SLO file is empty; expected a 'models' mapping");
        }
        MappingNode top = mapping(root, source, "the document");
        List<ModelSlo> slos = new ArrayList<>();
        for (NodeTuple entry : entries(top, TOP_LEVEL, source, "")) {
            MappingNode models = mapping(entry.getValueNode(), source, "models");
            Set<String> names = new HashSet<>();
            for (NodeTuple model : models.getValue()) {
                String name = scalar(model.getKeyNode(), source, "model name");
                if (name.isBlank()) {
                    throw error(source, model.getKeyNode(), "models: a model name is empty");
                }
                if (!names.add(name)) {
                    throw error(source, model.getKeyNode(), "models." + name + " is listed twice");
                }
                slos.add(model(name, model.getValueNode(), source));
            }
        }
        return new SloCatalog(slos);
    }

    private static ModelSlo model(String name, Node node, String source) {
        String at = "models." + name;
        MappingNode mapping = mapping(node, source, at);
        double ttft = 0;
        double tpot = 0;
        double e2e = 0;
        Priority priority = Priority.MEDIUM;
        long minMemory = 0;
        long maxMemory = 0;
        for (NodeTuple entry : entries(mapping, MODEL_KEYS, source, at + ".")) {
            String key = ((ScalarNode) entry.getKeyNode()).getValue();
            Node value = entry.getValueNode();
            String text = scalar(value, source, at + "." + key);
            try {
                switch (key) {
                    case "ttft_p99_ms" -> ttft = milliseconds(text);
                    case "tpot_p99_ms" -> tpot = milliseconds(text);
                    case "e2e_p99_ms" -> e2e = milliseconds(text);
                    case "priority" -> priority = Priority.parse(text);
                    case "min_memory" -> minMemory = MemorySize.parseBytes(text);
                    case "max_memory" -> maxMemory = MemorySize.parseBytes(text);
                    default -> throw new IllegalStateException("key list and switch disagree on " + key);
                }
            } catch (IllegalArgumentException e) {
                throw error(source, value, at + "." + key + ": " + e.getMessage());
            }
        }
        try {
            return new ModelSlo(name, ttft, tpot, e2e, priority, minMemory, maxMemory);
        } catch (IllegalArgumentException e) {
            throw error(source, node, e.getMessage());
        }
    }

    private static double milliseconds(String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number of milliseconds");
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("must be a finite number of milliseconds, 0 or more");
        }
        return value;
    }

    /** The entries of a mapping, after checking that every key is known and appears once. */
    private static List<NodeTuple> entries(MappingNode mapping, Set<String> allowed, String source, String prefix) {
        Set<String> seen = new HashSet<>();
        for (NodeTuple entry : mapping.getValue()) {
            String key = scalar(entry.getKeyNode(), source, prefix + "key");
            if (!allowed.contains(key)) {
                throw error(source, entry.getKeyNode(),
                        "unknown key '" + prefix + key + "', expected one of " + new java.util.TreeSet<>(allowed));
            }
            if (!seen.add(key)) {
                throw error(source, entry.getKeyNode(), "key '" + prefix + key + "' appears twice");
            }
        }
        return mapping.getValue();
    }

    private static MappingNode mapping(Node node, String source, String what) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(source, node, what + " must be a mapping");
        }
        return mapping;
    }

    private static String scalar(Node node, String source, String what) {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(source, node, what + " must be a single value");
        }
        return scalar.getValue();
    }

    private static IllegalArgumentException error(String source, Node node, String message) {
        return new IllegalArgumentException(source + " line " + (node.getStartMark().getLine() + 1) + ": " + message);
    }
}
