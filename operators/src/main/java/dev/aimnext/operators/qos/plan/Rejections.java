package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.qos.plan.hardware.PartitionMode;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static dev.aimnext.operators.finetune.profile.memory.ServingPlanner.gib;

/** Writes why a model is left out, with the sizes that decide it. */
final class Rejections {

    private final List<PartitionMode> modes;
    private final PlanOptions options;

    Rejections(List<GpuNode> nodes, PlanOptions options) {
        this.modes = nodes.stream().flatMap(n -> n.modes(options.allowedModes()).stream()).distinct().toList();
        this.options = options;
    }

    /** The rejection of a model that no allowed partition can hold, even alone. */
    Optional<Rejection> tooLarge(ModelDemand m) {
        PartitionMode largest = modes.stream().max(Comparator.comparingLong(PartitionMode::partitionBytes)).orElseThrow();
        long usable = options.usableBytes(largest.partitionBytes());
        if (m.minimumBytes() <= usable) {
            return Optional.empty();
        }
        long shortBy = m.minimumBytes() - usable;
        return Optional.of(new Rejection(m.name(), m.priority(), m.minimumBytes(), shortBy, String.format(Locale.ROOT,
                "%s needs %s (weights %s + KV floor %s) but the largest partition available, %s with %s, holds %s "
                        + "at gpu-memory-utilization %.2f: %s short; use a larger partition, a smaller dtype or a "
                        + "lower KV floor",
                m.name(), gib(m.minimumBytes()), gib(m.weightBytes()), gib(m.kvFloorBytes()), largest,
                gib(largest.partitionBytes()), gib(usable), options.gpuMemoryUtilization(), gib(shortBy))));
    }

    /** The rejection of a model that fits a partition alone but found none with room left. */
    Rejection noRoom(ModelDemand m, long largestFree) {
        PartitionMode smallest = modes.stream()
                .filter(p -> options.usableBytes(p.partitionBytes()) >= m.minimumBytes())
                .min(Comparator.comparingLong(PartitionMode::partitionBytes)).orElseThrow();
        long shortBy = m.minimumBytes() - largestFree;
        return new Rejection(m.name(), m.priority(), m.minimumBytes(), shortBy, String.format(Locale.ROOT,
                "%s needs %s (weights %s + KV floor %s); alone it would fit a %s partition, but after the models "
                        + "placed before it (largest first) the most any partition had free was %s: %s short; add "
                        + "GPUs or lower KV floors",
                m.name(), gib(m.minimumBytes()), gib(m.weightBytes()), gib(m.kvFloorBytes()), smallest,
                gib(largestFree), gib(shortBy)));
    }
}
