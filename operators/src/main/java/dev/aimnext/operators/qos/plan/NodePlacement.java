package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.plan.hardware.MemoryMode;
import dev.aimnext.operators.qos.plan.hardware.PartitionMode;

import java.util.List;

/**
 * The plan for one node: its memory mode, each GPU's mode and what runs in each partition.
 *
 * @param modes each GPU's mode, by GPU index
 * @param gpus each GPU's placement, by GPU index; an idle GPU has only empty partitions
 */
public record NodePlacement(GpuNode node, MemoryMode memoryMode, List<PartitionMode> modes, List<GpuPlacement> gpus) {

    public NodePlacement {
        modes = List.copyOf(modes);
        gpus = List.copyOf(gpus);
        if (modes.size() != node.count() || gpus.size() != node.count()) {
            throw new IllegalArgumentException("node " + node.name() + " has " + node.count() + " GPUs, but the plan "
                    + "covers " + gpus.size());
        }
    }

    /** Whether GPU {@code index} runs nothing; the DCM profile skips it, so it keeps its current mode. */
    public boolean idle(int index) {
        return gpus.get(index).partitions().stream().allMatch(p -> p.models().isEmpty());
    }
}
