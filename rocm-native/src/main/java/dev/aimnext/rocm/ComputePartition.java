package dev.aimnext.rocm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * AMD compute partition modes ({@code current_compute_partition} in sysfs). The code is the bit
 * index of the library's masks. How many logical GPUs a mode makes depends on the device: SPX is
 * one, DPX two, TPX three, QPX four, CPX one per XCD (eight on an MI300X).
 */
public enum ComputePartition {
    /** Not reported: no sysfs file, not an AMD GPU, or a malformed file. */
    NONE(0),
    SPX(1),
    DPX(2),
    TPX(3),
    QPX(4),
    CPX(5);

    private final int code;

    ComputePartition(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The mode for a library code; a code this binding does not know reads as {@link #NONE}. */
    public static ComputePartition fromCode(long code) {
        for (ComputePartition p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        return NONE;
    }

    /** The modes whose bits are set in a library mask ({@code AIM_GPU_MODE_BIT}). */
    public static Set<ComputePartition> fromMask(long mask) {
        EnumSet<ComputePartition> modes = EnumSet.noneOf(ComputePartition.class);
        for (ComputePartition p : values()) {
            if (p != NONE && (mask & (1L << p.code)) != 0) {
                modes.add(p);
            }
        }
        return Collections.unmodifiableSet(modes);
    }
}
