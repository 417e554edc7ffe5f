package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;

import java.util.List;

/**
 * What {@link PartitionPlanner} chose: per node the modes and the placement of every model that
 * fits, and the models it left out with the reason.
 *
 * @param configurationsTried how many mode set-ups were packed and scored to choose this one
 */
public record PlacementPlan(List<NodePlacement> nodes, List<Rejection> rejections, PlanOptions options,
        int configurationsTried) {

    public PlacementPlan {
        nodes = List.copyOf(nodes);
        rejections = List.copyOf(rejections);
    }

    /** Every GPU's placement, node after node. */
    public List<GpuPlacement> gpus() {
        return nodes.stream().flatMap(n -> n.gpus().stream()).toList();
    }

    /** Every placed model. */
    public List<ModelSlot> placed() {
        return gpus().stream().flatMap(g -> g.partitions().stream()).flatMap(p -> p.models().stream()).toList();
    }

    /** The highest {@link #pressure} of any partition. */
    public double maxPressure() {
        return gpus().stream().flatMap(g -> g.partitions().stream()).mapToDouble(PlacementPlan::pressure).max()
                .orElse(0);
    }

    /** Memory pressure of a partition: its models' weights and KV floors over its memory. */
    public static double pressure(PartitionSlot p) {
        return p.models().stream().mapToLong(ModelSlot::minimumBytes).sum() / (double) p.memoryBytes();
    }
}
