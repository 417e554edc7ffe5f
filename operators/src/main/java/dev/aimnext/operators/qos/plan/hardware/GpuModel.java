package dev.aimnext.operators.qos.plan.hardware;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static dev.aimnext.operators.qos.plan.hardware.ComputeMode.CPX;
import static dev.aimnext.operators.qos.plan.hardware.ComputeMode.DPX;
import static dev.aimnext.operators.qos.plan.hardware.ComputeMode.QPX;
import static dev.aimnext.operators.qos.plan.hardware.ComputeMode.SPX;
import static dev.aimnext.operators.qos.plan.hardware.MemoryMode.NPS1;
import static dev.aimnext.operators.qos.plan.hardware.MemoryMode.NPS2;
import static dev.aimnext.operators.qos.plan.hardware.MemoryMode.NPS4;
import static dev.aimnext.operators.qos.plan.hardware.ModeSupport.DOCUMENTED;
import static dev.aimnext.operators.qos.plan.hardware.ModeSupport.PREVIEW;
import static dev.aimnext.operators.qos.plan.hardware.ModeSupport.VALIDATED;

/**
 * The partitionable AMD Instinct GPUs and the partition modes the planner may use on each. Only
 * pairings AMD documents are listed; anything else is refused with the reason.
 *
 * <p>Sources: AMD's GPU partitioning compatibility matrix (instinct.docs.amd.com) validates SPX+NPS1,
 * DPX+NPS2 and CPX+NPS4 on MI300X, SPX+NPS1 only on MI325X (bare metal), and SPX+NPS1 and DPX+NPS2 on
 * MI350X/MI355X. AMD's MI300X partitioning guide and amd-smi also describe DPX, QPX and CPX with NPS1
 * and QPX with NPS4 on MI300X; those are {@link ModeSupport#DOCUMENTED}. MI350X/MI355X CPX is a
 * preview of the SR-IOV (GIM) driver only. Memory is in GiB, as amd-smi and the driver report VRAM.
 */
public enum GpuModel {
    MI300X("MI300X", 192, 8, 304,
            row(SPX, NPS1, VALIDATED, "AMD compatibility matrix"),
            row(DPX, NPS1, DOCUMENTED, "AMD MI300X partitioning guide, amd-smi"),
            row(DPX, NPS2, VALIDATED, "AMD compatibility matrix"),
            row(QPX, NPS1, DOCUMENTED, "AMD MI300X partitioning guide, amd-smi"),
            row(QPX, NPS4, DOCUMENTED, "AMD MI300X partitioning guide, amd-smi"),
            row(CPX, NPS1, DOCUMENTED, "AMD MI300X partitioning guide, amd-smi"),
            row(CPX, NPS4, VALIDATED, "AMD compatibility matrix")),
    MI325X("MI325X", 256, 8, 304,
            row(SPX, NPS1, VALIDATED, "AMD compatibility matrix (bare metal only)")),
    MI350X("MI350X", 288, 8, 256,
            row(SPX, NPS1, VALIDATED, "AMD compatibility matrix"),
            row(DPX, NPS2, VALIDATED, "AMD compatibility matrix"),
            row(CPX, NPS1, PREVIEW, "preview, SR-IOV (GIM) driver only")),
    MI355X("MI355X", 288, 8, 256,
            row(SPX, NPS1, VALIDATED, "AMD compatibility matrix"),
            row(DPX, NPS2, VALIDATED, "AMD compatibility matrix"),
            row(CPX, NPS1, PREVIEW, "preview, SR-IOV (GIM) driver only"));

    private static final long GIB = 1L << 30;

    private final String displayName;
    private final long memoryBytes;
    private final int xcds;
    private final int computeUnits;
    private final Row[] rows;

    GpuModel(String displayName, int memoryGib, int xcds, int computeUnits, Row... rows) {
        this.displayName = displayName;
        this.memoryBytes = memoryGib * GIB;
        this.xcds = xcds;
        this.computeUnits = computeUnits;
        this.rows = rows;
    }

    public String displayName() {
        return displayName;
    }

    /** HBM of the whole GPU. */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** Accelerator complex dies; partitions own whole XCDs. */
    public int xcds() {
        return xcds;
    }

    public int computeUnits() {
        return computeUnits;
    }

    /** Every mode the table lists for this GPU, in table order. */
    public List<PartitionMode> modes() {
        List<PartitionMode> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new PartitionMode(this, r.compute, r.memory, r.support, r.source));
        }
        return out;
    }

    /** The modes vetted at least to {@code allowed}. */
    public List<PartitionMode> modes(ModeSupport allowed) {
        return modes().stream().filter(m -> m.support().within(allowed)).toList();
    }

    /** The allowed mode with the largest partitions (SPX on every listed GPU). */
    public PartitionMode largestMode(ModeSupport allowed) {
        return modes(allowed).stream().max(Comparator.comparingLong(PartitionMode::partitionBytes)).orElseThrow();
    }

    /**
     * The mode {@code compute}+{@code memory} on this GPU.
     *
     * @throws IllegalArgumentException saying why when the pairing is invalid on any GPU, not listed
     *     for this one, or less vetted than {@code allowed}
     */
    public PartitionMode mode(ComputeMode compute, MemoryMode memory, ModeSupport allowed) {
        if (memory.domains() > compute.partitions()) {
            // amdgpu maps every compute partition to exactly one memory partition, so NPS4 needs 4 or more.
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s+%s is not a valid partition mode: a GPU cannot have more memory partitions (%s: %d) than "
                            + "compute partitions (%s: %d)", compute, memory, memory, memory.domains(), compute,
                    compute.partitions()));
        }
        PartitionMode mode = modes().stream().filter(m -> m.compute() == compute && m.memory() == memory)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(displayName + " " + compute + "+" + memory
                        + " is not a mode AMD documents for this GPU; it supports " + describe(modes())));
        if (!mode.support().within(allowed)) {
            throw new IllegalArgumentException(mode + " is a " + mode.support().id() + " mode (" + mode.source()
                    + "), not validated by AMD; allow " + mode.support().id() + " modes to use it");
        }
        return mode;
    }

    /**
     * The mode for {@code compute} with the first memory mode the table lists for it (NPS1 where
     * valid, NPS2 for MI350X/MI355X DPX).
     */
    public PartitionMode mode(ComputeMode compute, ModeSupport allowed) {
        PartitionMode first = modes().stream().filter(m -> m.compute() == compute).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(displayName + " has no " + compute
                        + " mode AMD documents; it supports " + describe(modes())));
        return mode(compute, first.memory(), allowed);
    }

    /** Parses {@code mi300x}, {@code MI355X} and so on. */
    public static GpuModel parse(String text) {
        String key = text.trim().toUpperCase(Locale.ROOT);
        for (GpuModel g : values()) {
            if (g.name().equals(key)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown GPU '" + text + "'; expected one of "
                + Arrays.stream(values()).map(g -> g.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
    }

    /** {@code SPX+NPS1 (validated), DPX+NPS1 (documented), ...}. */
    public static String describe(List<PartitionMode> modes) {
        return modes.stream().map(m -> m.label() + " (" + m.support().id() + ")").collect(Collectors.joining(", "));
    }

    private static Row row(ComputeMode compute, MemoryMode memory, ModeSupport support, String source) {
        return new Row(compute, memory, support, source);
    }

    private record Row(ComputeMode compute, MemoryMode memory, ModeSupport support, String source) {}
}
