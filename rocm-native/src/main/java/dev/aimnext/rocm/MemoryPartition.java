package dev.aimnext.rocm;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * AMD memory partition modes ({@code current_memory_partition} in sysfs): NPS<i>n</i> splits the
 * device memory into <i>n</i> NUMA partitions. The code is <i>n</i> and the bit index of the
 * library's masks. On MI300X, NPS4 is only allowed together with QPX or CPX.
 */
public enum MemoryPartition {
    /** Not reported. */
    NONE(0),
    NPS1(1),
    NPS2(2),
    NPS3(3),
    NPS4(4),
    NPS6(6),
    NPS8(8);

    private final int code;

    MemoryPartition(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The mode for a library code; a code this binding does not know reads as {@link #NONE}. */
    public static MemoryPartition fromCode(long code) {
        for (MemoryPartition p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        return NONE;
    }

    /** The modes whose bits are set in a library mask. */
    public static Set<MemoryPartition> fromMask(long mask) {
        EnumSet<MemoryPartition> modes = EnumSet.noneOf(MemoryPartition.class);
        for (MemoryPartition p : values()) {
            if (p != NONE && (mask & (1L << p.code)) != 0) {
                modes.add(p);
            }
        }
        return Collections.unmodifiableSet(modes);
    }
}
