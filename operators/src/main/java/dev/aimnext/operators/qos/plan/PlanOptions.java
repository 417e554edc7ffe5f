package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.finetune.profile.memory.ServingPlanner;
import dev.aimnext.operators.qos.plan.hardware.ModeSupport;

import java.util.Objects;

/**
 * How the planner sizes partitions and which modes it may choose.
 *
 * @param gpuMemoryUtilization the share of each partition the models may hold (vLLM's
 *     {@code --gpu-memory-utilization}); the rest is left to the runtime and the driver
 * @param allowedModes the least-vetted modes it may choose: validated, documented (default) or preview
 */
public record PlanOptions(double gpuMemoryUtilization, ModeSupport allowedModes) {

    public static final PlanOptions DEFAULT =
            new PlanOptions(ServingPlanner.DEFAULT_GPU_MEMORY_UTILIZATION, ModeSupport.DOCUMENTED);

    public PlanOptions {
        Objects.requireNonNull(allowedModes, "allowedModes");
        if (!(gpuMemoryUtilization > 0 && gpuMemoryUtilization <= 1)) {
            throw new IllegalArgumentException("gpu-memory-utilization must be in (0, 1], got " + gpuMemoryUtilization);
        }
    }

    /** What models may hold of a partition of {@code partitionBytes}. */
    public long usableBytes(long partitionBytes) {
        return (long) Math.floor(partitionBytes * gpuMemoryUtilization);
    }
}
