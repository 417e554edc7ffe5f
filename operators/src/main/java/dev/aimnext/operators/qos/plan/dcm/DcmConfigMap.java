package dev.aimnext.operators.qos.plan.dcm;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.plan.NodePlacement;
import dev.aimnext.operators.qos.plan.PlacementPlan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * Writes a plan as the ConfigMap the AMD GPU operator's Device Config Manager reads: key
 * {@code config.json} holding {@code {"gpu-config-profiles": {NAME: {"skippedGPUs": {"ids": [...]},
 * "profiles": [{"computePartition", "memoryPartition", "numGPUsAssigned"}, ...]}}}}, one profile per
 * node.
 *
 * <p>The DCM hands the profile's entries to the node's GPUs in id order, skipping the ids in
 * {@code skippedGPUs}, and requires the assigned counts plus the skipped ids to add up to the node's
 * GPUs and every entry to share one memory mode. So each run of consecutive GPUs with the same mode
 * is one entry, and idle GPUs are skipped: they keep whatever mode they have and need no drain.
 */
public final class DcmConfigMap {

    /** The ConfigMap name the GPU operator's DeviceConfig refers to in its documentation. */
    public static final String DEFAULT_NAME = "config-manager-config";

    /** The GPU operator's namespace. */
    public static final String DEFAULT_NAMESPACE = "kube-amd-gpu";

    /** Profile name for a single node; named nodes get {@code aim-plan-NODE}. */
    public static final String DEFAULT_PROFILE = "aim-plan";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DcmConfigMap() {}

    /** The DCM profile name of {@code node}. */
    public static String profileName(String prefix, NodePlacement node) {
        return node.node().name().isEmpty() ? prefix : prefix + "-" + node.node().name();
    }

    /** The {@code config.json} document: {@code {"gpu-config-profiles": {...}}}, nodes with no model left out. */
    public static ObjectNode configJson(PlacementPlan plan, String profilePrefix) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode profiles = root.putObject("gpu-config-profiles");
        for (NodePlacement node : plan.nodes()) {
            if (!allIdle(node)) {
                profiles.set(profileName(profilePrefix, node), profile(node));
            }
        }
        return root;
    }

    private static ObjectNode profile(NodePlacement node) {
        ObjectNode profile = JsonNodeFactory.instance.objectNode();
        ArrayNode skipped = profile.putObject("skippedGPUs").putArray("ids");
        ArrayNode entries = profile.putArray("profiles");
        ObjectNode run = null;
        GpuPlacement previous = null;
        for (int g = 0; g < node.gpus().size(); g++) {
            if (node.idle(g)) {
                skipped.add(g);
                continue;
            }
            GpuPlacement gpu = node.gpus().get(g);
            if (previous != null && previous.computeMode().equals(gpu.computeMode())
                    && previous.memoryMode().equals(gpu.memoryMode())) {
                run.put("numGPUsAssigned", run.get("numGPUsAssigned").asInt() + 1);
            } else {
                run = entries.addObject();
                run.put("computePartition", gpu.computeMode());
                run.put("memoryPartition", gpu.memoryMode());
                run.put("numGPUsAssigned", 1);
            }
            previous = gpu;
        }
        return profile;
    }

    /**
     * The ConfigMap as YAML, with the steps that apply a profile to a node in comments.
     *
     * @param profilePrefix profile name; nodes with a name get {@code PREFIX-NODE}
     */
    public static String toYaml(PlacementPlan plan, String name, String namespace, String profilePrefix) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        StringBuilder out = new StringBuilder();
        out.append("# AMD GPU operator Device Config Manager profiles, written by aim plan.\n");
        out.append("# Applying it replaces the profiles in ").append(namespace).append('/').append(name)
                .append("; merge them by hand to keep others.\n");
        out.append("# Partitioning needs the GPUs idle. For each node:\n");
        for (NodePlacement node : plan.nodes()) {
            String label = node.node().name().isEmpty() ? "NODE" : node.node().name();
            if (allIdle(node)) {
                out.append("#   ").append(label).append(": no model placed, no profile\n");
                continue;
            }
            String profile = profileName(profilePrefix, node);
            out.append("#   kubectl taint node ").append(label).append(" amd-dcm=up:NoExecute\n");
            out.append("#   kubectl label node ").append(label).append(" dcm.amd.com/gpu-config-profile=")
                    .append(profile).append(" --overwrite\n");
            out.append("#   (wait for dcm.amd.com/gpu-config-profile-state=success)\n");
            out.append("#   kubectl taint node ").append(label).append(" amd-dcm=up:NoExecute-\n");
        }
        out.append("apiVersion: v1\n");
        out.append("kind: ConfigMap\n");
        out.append("metadata:\n");
        out.append("  name: ").append(name).append('\n');
        out.append("  namespace: ").append(namespace).append('\n');
        out.append("data:\n");
        out.append("  config.json: |\n");
        for (String line : json(configJson(plan, profilePrefix)).split("\n", -1)) {
            out.append("    ").append(line).append('\n');
        }
        return out.toString();
    }

    private static boolean allIdle(NodePlacement node) {
        for (int g = 0; g < node.gpus().size(); g++) {
            if (!node.idle(g)) {
                return false;
            }
        }
        return true;
    }

    private static String json(ObjectNode node) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withArrayEmptySeparator("")
                        .withObjectEmptySeparator(""));
        printer.indentArraysWith(new DefaultIndenter("  ", "\n"));
        printer.indentObjectsWith(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer).writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write DCM config.json", e);
        }
    }
}
