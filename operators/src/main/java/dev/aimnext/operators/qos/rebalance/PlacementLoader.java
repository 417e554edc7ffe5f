package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.plan.hardware.ComputeMode;
import dev.aimnext.operators.qos.plan.hardware.MemoryMode;
import dev.aimnext.operators.qos.slo.MemorySize;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the initial placement, YAML or JSON (JSON is read as YAML):
 *
 * <pre>{@code
 * gpus:
 *   - gpu: gpu0
 *     compute_mode: DPX          # SPX | DPX | QPX | CPX, or NONE for co-located processes
 *     memory_mode: NPS1          # NPS1 | NPS2 | NPS4, or NONE
 *     partitions:
 *       - id: gpu0/dpx0
 *         memory: 96GiB          # a byte count or a size with a unit (GiB, GB, ...)
 *         compute_share: 0.5
 *         models:
 *           - model: chat-8b
 *             priority: high     # high | medium | low
 *             weights: 16GiB
 *             kv_budget: 40GiB
 *             kv_floor: 4GiB
 * }</pre>
 *
 * <p>Keys are strict and all required: an unknown, repeated or missing key is an error naming the
 * source, line and key, because a misspelt {@code kv_floor} would otherwise let tier 2 shrink a model
 * to nothing. Also rejected: a partition whose models need more memory than it has, a GPU or
 * partition listed twice, more partitions than the compute mode makes, and NPS4 outside QPX/CPX.
 */
public final class PlacementLoader {

    private static final Set<String> TOP_LEVEL = Set.of("gpus");
    private static final Set<String> GPU_KEYS = Set.of("gpu", "compute_mode", "memory_mode", "partitions");
    private static final Set<String> PARTITION_KEYS = Set.of("id", "memory", "compute_share", "models");
    private static final Set<String> MODEL_KEYS = Set.of("model", "priority", "weights", "kv_budget", "kv_floor");

    /** The mode name for GPUs without hardware partitions (co-located processes). */
    public static final String NONE = "NONE";

    private PlacementLoader() {}

    public static List<GpuPlacement> loadFile(Path file) {
        try {
            return load(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read placement file " + file + ": " + e.getMessage());
        }
    }

    /**
     * @param source where the text came from, for error messages
     * @throws IllegalArgumentException naming the source, line and key of the first problem
     */
    public static List<GpuPlacement> load(String text, String source) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(10);
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw new IllegalArgumentException(source + ": not valid YAML or JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null) {
            throw new IllegalArgumentException(source + ": the placement file is empty; expected a 'gpus' list");
        }
        Map<String, Node> top = entries(root, TOP_LEVEL, TOP_LEVEL, source, "");
        List<GpuPlacement> gpus = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Node node : sequence(top.get("gpus"), source, "gpus")) {
            GpuPlacement gpu = gpu(node, source);
            if (!ids.add(gpu.gpuId())) {
                throw error(source, node, "GPU " + gpu.gpuId() + " is listed twice");
            }
            gpus.add(gpu);
        }
        return gpus;
    }

    private static GpuPlacement gpu(Node node, String source) {
        Map<String, Node> e = entries(node, GPU_KEYS, GPU_KEYS, source, "gpus[].");
        String id = scalar(e.get("gpu"), source, "gpus[].gpu");
        String at = "gpus[" + id + "]";
        String compute = mode(e.get("compute_mode"), source, at + ".compute_mode", true);
        String memory = mode(e.get("memory_mode"), source, at + ".memory_mode", false);
        List<PartitionSlot> partitions = new ArrayList<>();
        Set<String> partitionIds = new HashSet<>();
        for (Node p : sequence(e.get("partitions"), source, at + ".partitions")) {
            PartitionSlot slot = partition(p, source, at);
            if (!partitionIds.add(slot.partitionId())) {
                throw error(source, p, at + ": partition " + slot.partitionId() + " is listed twice");
            }
            partitions.add(slot);
        }
        if (!compute.equals(NONE)) {
            int count = ComputeMode.parse(compute).partitions();
            if (partitions.size() > count) {
                throw error(source, node, at + ": " + compute + " makes " + count + " partitions, " + partitions.size()
                        + " are listed");
            }
            if (!memory.equals(NONE) && MemoryMode.parse(memory).domains() > count) {
                // There can be no more memory partitions than compute partitions (SPX+NPS4 is invalid).
                throw error(source, node, at + ": " + memory + " needs at least " + MemoryMode.parse(memory).domains()
                        + " compute partitions, " + compute + " makes " + count);
            }
        }
        try {
            return new GpuPlacement(id, compute, memory, partitions);
        } catch (IllegalArgumentException ex) {
            throw error(source, node, ex.getMessage());
        }
    }

    private static PartitionSlot partition(Node node, String source, String gpuAt) {
        Map<String, Node> e = entries(node, PARTITION_KEYS, PARTITION_KEYS, source, gpuAt + ".partitions[].");
        String id = scalar(e.get("id"), source, gpuAt + ".partitions[].id");
        String at = "partition " + id;
        long memory = bytes(e.get("memory"), source, at + ".memory");
        double share = number(e.get("compute_share"), source, at + ".compute_share");
        List<ModelSlot> models = new ArrayList<>();
        for (Node m : sequence(e.get("models"), source, at + ".models")) {
            models.add(model(m, source, at));
        }
        PartitionSlot slot;
        try {
            slot = new PartitionSlot(id, memory, share, models);
        } catch (IllegalArgumentException ex) {
            throw error(source, node, ex.getMessage());
        }
        if (slot.freeBytes() < 0) {
            throw error(source, node, at + ": its models need " + slot.usedBytes() + " bytes (weights + KV budgets) but it"
                    + " has " + memory);
        }
        return slot;
    }

    private static ModelSlot model(Node node, String source, String partitionAt) {
        Map<String, Node> e = entries(node, MODEL_KEYS, MODEL_KEYS, source, partitionAt + ".models[].");
        String name = scalar(e.get("model"), source, partitionAt + ".models[].model");
        String at = partitionAt + " model " + name;
        Priority priority;
        try {
            priority = Priority.parse(scalar(e.get("priority"), source, at + ".priority"));
        } catch (IllegalArgumentException ex) {
            throw error(source, e.get("priority"), at + ".priority: " + ex.getMessage());
        }
        try {
            return new ModelSlot(name, priority, bytes(e.get("weights"), source, at + ".weights"),
                    bytes(e.get("kv_budget"), source, at + ".kv_budget"), bytes(e.get("kv_floor"), source, at + ".kv_floor"));
        } catch (IllegalArgumentException ex) {
            throw error(source, node, ex.getMessage());
        }
    }

    private static String mode(Node node, String source, String what, boolean compute) {
        String text = scalar(node, source, what);
        if (text.equalsIgnoreCase(NONE)) {
            return NONE;
        }
        try {
            return compute ? ComputeMode.parse(text).name() : MemoryMode.parse(text).name();
        } catch (IllegalArgumentException ex) {
            throw error(source, node, what + ": " + ex.getMessage() + " (or NONE)");
        }
    }

    private static long bytes(Node node, String source, String what) {
        try {
            return MemorySize.parseBytes(scalar(node, source, what));
        } catch (IllegalArgumentException ex) {
            throw error(source, node, what + ": " + ex.getMessage());
        }
    }

    private static double number(Node node, String source, String what) {
        String text = scalar(node, source, what);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException ex) {
            throw error(source, node, what + ": '" + text + "' is not a number");
        }
    }

    /** The mapping's entries by key, after checking every key is known, appears once and the required are there. */
    private static Map<String, Node> entries(Node node, Set<String> allowed, Set<String> required, String source,
            String prefix) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(source, node, (prefix.isEmpty() ? "the document" : prefix + "*") + " must be a mapping");
        }
        Map<String, Node> out = new HashMap<>();
        for (NodeTuple t : mapping.getValue()) {
            String key = scalar(t.getKeyNode(), source, prefix + "key");
            if (!allowed.contains(key)) {
                throw error(source, t.getKeyNode(), "unknown key '" + prefix + key + "', expected one of "
                        + new TreeSet<>(allowed));
            }
            if (out.put(key, t.getValueNode()) != null) {
                throw error(source, t.getKeyNode(), "key '" + prefix + key + "' appears twice");
            }
        }
        for (String key : new TreeSet<>(required)) {
            if (!out.containsKey(key)) {
                throw error(source, node, "missing key '" + prefix + key + "'");
            }
        }
        return out;
    }

    private static List<Node> sequence(Node node, String source, String what) {
        if (!(node instanceof SequenceNode seq)) {
            throw error(source, node, what + " must be a list");
        }
        return seq.getValue();
    }

    private static String scalar(Node node, String source, String what) {
        if (!(node instanceof ScalarNode s)) {
            throw error(source, node, what + " must be a single value");
        }
        return s.getValue();
    }

    private static IllegalArgumentException error(String source, Node node, String message) {
        return new IllegalArgumentException(source + " line " + (node.getStartMark().getLine() + 1) + ": " + message);
    }
}
