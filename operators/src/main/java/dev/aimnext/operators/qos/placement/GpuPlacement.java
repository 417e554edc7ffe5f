package dev.aimnext.operators.qos.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where models run on one GPU: its partition mode and, per partition, the models with their memory
 * budgets. Immutable; every change returns a new placement, so a plan can carry before and after.
 *
 * @param gpuId the GPU id telemetry reports
 * @param computeMode SPX, DPX, QPX or CPX
 * @param memoryMode NPS1, NPS2 or NPS4
 * @param partitions the partitions in id order
 */
public record GpuPlacement(String gpuId, String computeMode, String memoryMode, List<PartitionSlot> partitions) {

    public GpuPlacement {
        Objects.requireNonNull(gpuId, "gpuId");
        partitions = List.copyOf(partitions);
        List<String> seen = new ArrayList<>();
        for (PartitionSlot p : partitions) {
            for (ModelSlot m : p.models()) {
                if (seen.contains(m.model())) {
                    throw new IllegalArgumentException("model " + m.model() + " is placed twice on " + gpuId);
                }
                seen.add(m.model());
            }
        }
    }

    public Optional<PartitionSlot> partition(String partitionId) {
        return partitions.stream().filter(p -> p.partitionId().equals(partitionId)).findFirst();
    }

    /** The partition that serves {@code model}, if any. */
    public Optional<PartitionSlot> partitionOf(String model) {
        return partitions.stream().filter(p -> p.model(model).isPresent()).findFirst();
    }

    public Optional<ModelSlot> model(String model) {
        return partitionOf(model).flatMap(p -> p.model(model));
    }

    /** This placement with {@code partition} replacing the one with the same id. */
    public GpuPlacement withPartition(PartitionSlot partition) {
        List<PartitionSlot> out = new ArrayList<>();
        for (PartitionSlot p : partitions) {
            out.add(p.partitionId().equals(partition.partitionId()) ? partition : p);
        }
        return new GpuPlacement(gpuId, computeMode, memoryMode, out);
    }

    /** Moves {@code model} to partition {@code to}, keeping its slot as is. */
    public GpuPlacement move(String model, String to) {
        ModelSlot slot = model(model).orElseThrow(() -> new IllegalArgumentException("model " + model + " is not placed on " + gpuId));
        PartitionSlot from = partitionOf(model).orElseThrow();
        PartitionSlot target = partition(to).orElseThrow(() -> new IllegalArgumentException("no partition " + to + " on " + gpuId));
        return withPartition(from.withoutModel(model)).withPartition(target.withModel(slot));
    }
}
