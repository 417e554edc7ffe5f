package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.qos.plan.hardware.MemoryMode;
import dev.aimnext.operators.qos.plan.hardware.ModeSupport;
import dev.aimnext.operators.qos.plan.hardware.PartitionMode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every way to set up one node's GPUs: one memory mode for the node (the DCM takes one per
 * profile), then a compute mode per GPU among those valid with it. GPUs of a node are alike, so a
 * set-up is a multiset of modes, listed in GPU order from the largest partitions to the smallest;
 * 8 GPUs and 4 modes make 165 of them.
 */
final class NodeConfigurations {

    /** One node's set-up: its memory mode and each GPU's mode, in GPU order. */
    record NodeConfig(MemoryMode memory, List<PartitionMode> perGpu) {}

    private NodeConfigurations() {}

    /** Set-ups in table order of memory mode, and within one from all-largest to all-smallest partitions. */
    static List<NodeConfig> of(GpuNode node, ModeSupport allowed) {
        Map<MemoryMode, List<PartitionMode>> byMemory = new LinkedHashMap<>();
        for (PartitionMode m : node.modes(allowed)) {
            byMemory.computeIfAbsent(m.memory(), k -> new ArrayList<>()).add(m);
        }
        List<NodeConfig> out = new ArrayList<>();
        byMemory.forEach((memory, modes) -> {
            List<PartitionMode> sorted = modes.stream().sorted(Comparator.comparingInt(PartitionMode::partitions)).toList();
            List<List<PartitionMode>> sets = new ArrayList<>();
            multisets(sorted, 0, node.count(), new ArrayList<>(), sets);
            sets.forEach(s -> out.add(new NodeConfig(memory, s)));
        });
        return out;
    }

    private static void multisets(List<PartitionMode> modes, int index, int remaining, List<PartitionMode> acc,
            List<List<PartitionMode>> out) {
        if (index == modes.size() - 1) {
            List<PartitionMode> set = new ArrayList<>(acc);
            for (int i = 0; i < remaining; i++) {
                set.add(modes.get(index));
            }
            out.add(List.copyOf(set));
            return;
        }
        for (int k = remaining; k >= 0; k--) {
            for (int i = 0; i < k; i++) {
                acc.add(modes.get(index));
            }
            multisets(modes, index + 1, remaining - k, acc, out);
            for (int i = 0; i < k; i++) {
                acc.remove(acc.size() - 1);
            }
        }
    }
}
