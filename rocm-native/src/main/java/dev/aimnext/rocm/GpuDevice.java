package dev.aimnext.rocm;

/**
 * One entry of a device list: a physical GPU, an amdgpu partition node, or the host pseudo-device.
 *
 * @param index position in the list
 * @param card N of {@code /sys/class/drm/cardN}; -1 for runtime devices
 * @param parentIndex for a {@link NodeKind#PARTITION} node, the list index of its physical GPU
 *     (the nearest preceding card, which is the order amdgpu creates them in), else -1
 * @param partitionId 0 for a physical GPU, 1.. for partition nodes
 * @param busId PCI address such as {@code 0000:0c:00.0}, or empty
 * @param totalMemoryBytes device memory; 0 if unknown
 */
public record GpuDevice(
        int index,
        int card,
        NodeKind kind,
        int parentIndex,
        int partitionId,
        String name,
        String busId,
        long totalMemoryBytes,
        PartitionModes partitions) {

    public boolean isPhysical() {
        return kind == NodeKind.PHYSICAL;
    }
}
