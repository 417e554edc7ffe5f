package dev.aimnext.rocm;

import java.util.Set;

/**
 * The partition modes of one AMD GPU as sysfs reports them: current and available compute modes
 * (SPX/DPX/QPX/CPX) and memory modes (NPS1/NPS4).
 *
 * @param status {@link GpuStatus#OK} when every partition file present was parsed; {@link
 *     GpuStatus#NOT_SUPPORTED} when the device has none (not an Instinct GPU, or a runtime device);
 *     {@link GpuStatus#SYSFS_PARSE} when one was malformed, in which case that file's fields read
 *     NONE/empty and the others are kept
 */
public record PartitionModes(
        ComputePartition compute,
        Set<ComputePartition> availableCompute,
        MemoryPartition memory,
        Set<MemoryPartition> availableMemory,
        GpuStatus status) {

    public PartitionModes {
        availableCompute = Set.copyOf(availableCompute);
        availableMemory = Set.copyOf(availableMemory);
    }

    /** No partition information: what runtime devices and the host pseudo-device report. */
    public static PartitionModes notReported() {
        return new PartitionModes(
                ComputePartition.NONE, Set.of(), MemoryPartition.NONE, Set.of(), GpuStatus.NOT_SUPPORTED);
    }

    /** True when sysfs named a current compute mode for this device. */
    public boolean isReported() {
        return compute != ComputePartition.NONE;
    }
}
