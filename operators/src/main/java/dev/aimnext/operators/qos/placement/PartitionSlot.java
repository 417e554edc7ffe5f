package dev.aimnext.operators.qos.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One GPU partition (a logical GPU in SPX/DPX/QPX/CPX mode) and the models placed in it.
 *
 * @param partitionId the partition id telemetry reports, e.g. {@code gpu0/p1}
 * @param memoryBytes VRAM of the partition; the kernel driver enforces it per partition
 * @param computeShare the partition's share of the whole GPU's compute, e.g. 0.25 in QPX
 * @param models the models co-located in it; they time-slice its compute
 */
public record PartitionSlot(String partitionId, long memoryBytes, double computeShare, List<ModelSlot> models) {

    public PartitionSlot {
        Objects.requireNonNull(partitionId, "partitionId");
        if (memoryBytes <= 0 || !(computeShare > 0 && computeShare <= 1)) {
            throw new IllegalArgumentException("partition " + partitionId + ": memory must be > 0 and compute share in (0, 1]");
        }
        models = List.copyOf(models);
    }

    public long usedBytes() {
        return models.stream().mapToLong(ModelSlot::memoryBytes).sum();
    }

    public long freeBytes() {
        return memoryBytes - usedBytes();
    }

    public Optional<ModelSlot> model(String name) {
        return models.stream().filter(m -> m.model().equals(name)).findFirst();
    }

    public PartitionSlot withModels(List<ModelSlot> newModels) {
        return new PartitionSlot(partitionId, memoryBytes, computeShare, newModels);
    }

    /** This partition with {@code slot} replacing the model of the same name, or added if absent. */
    public PartitionSlot withModel(ModelSlot slot) {
        List<ModelSlot> out = new ArrayList<>();
        boolean replaced = false;
        for (ModelSlot m : models) {
            if (m.model().equals(slot.model())) {
                out.add(slot);
                replaced = true;
            } else {
                out.add(m);
            }
        }
        if (!replaced) {
            out.add(slot);
        }
        return withModels(out);
    }

    public PartitionSlot withoutModel(String name) {
        return withModels(models.stream().filter(m -> !m.model().equals(name)).toList());
    }
}
