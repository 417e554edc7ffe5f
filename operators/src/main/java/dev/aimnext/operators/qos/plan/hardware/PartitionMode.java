package dev.aimnext.operators.qos.plan.hardware;

import java.util.Objects;

/**
 * One compute + memory partition mode of a GPU model, as the hardware table lists it: how many
 * partitions it makes, how much memory and compute each gets, and how far AMD vets it.
 *
 * @param gpu the GPU model
 * @param compute the compute mode (SPX, DPX, QPX, CPX)
 * @param memory the memory mode (NPS1, NPS2, NPS4)
 * @param support how far AMD vets this pairing on this GPU
 * @param source where the pairing is documented, for the report and the README
 */
public record PartitionMode(GpuModel gpu, ComputeMode compute, MemoryMode memory, ModeSupport support, String source) {

    public PartitionMode {
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(compute, "compute");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(support, "support");
        Objects.requireNonNull(source, "source");
    }

    /** Logical GPUs per physical GPU. */
    public int partitions() {
        return compute.partitions();
    }

    /** VRAM of one partition: the GPU's HBM split evenly; the kernel driver enforces it per partition. */
    public long partitionBytes() {
        return gpu.memoryBytes() / compute.partitions();
    }

    /** Whole XCDs each partition owns. */
    public int xcdsPerPartition() {
        return gpu.xcds() / compute.partitions();
    }

    /** A partition's share of the GPU's compute: its fraction of the XCDs, e.g. 2/8 = 0.25 in QPX. */
    public double computeShare() {
        return xcdsPerPartition() / (double) gpu.xcds();
    }

    /** {@code QPX+NPS1}, the way amd-smi and the DCM profile name the pairing. */
    public String label() {
        return compute + "+" + memory;
    }

    @Override
    public String toString() {
        return gpu.displayName() + " " + label();
    }
}
