package dev.aimnext.rocm;

/** What a {@link GpuDevice} entry stands for ({@code aim_gpu_node_kind}). */
public enum NodeKind {
    /** A PCI GPU from sysfs, or a device of the CUDA/HIP runtime. */
    PHYSICAL,
    /**
     * An extra DRM node that amdgpu creates for a compute partition ({@code amdgpu_xcp_N}). The
     * driver may create these whatever the mode, so their number is not the number of partitions.
     */
    PARTITION,
    /** The host backend's pseudo-device. */
    HOST;

    public static NodeKind fromCode(long code) {
        return code >= 0 && code < values().length ? values()[(int) code] : PHYSICAL;
    }
}
