package dev.aimnext.operators.qos.plan.hardware;

import java.util.Locale;

/**
 * How a GPU's XCDs are grouped into logical GPUs: SPX keeps them together, DPX, QPX and CPX split
 * them into 2, 4 and 8 partitions. Each partition owns whole XCDs, so its compute share is its
 * fraction of the XCDs.
 */
public enum ComputeMode {
    SPX(1),
    DPX(2),
    QPX(4),
    CPX(8);

    private final int partitions;

    ComputeMode(int partitions) {
        this.partitions = partitions;
    }

    /** Logical GPUs this mode makes of one physical GPU. */
    public int partitions() {
        return partitions;
    }

    /** Parses {@code spx|dpx|qpx|cpx}, any case. */
    public static ComputeMode parse(String text) {
        String key = text.trim().toUpperCase(Locale.ROOT);
        for (ComputeMode m : values()) {
            if (m.name().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown compute partition mode '" + text + "'; expected SPX, DPX, QPX or CPX");
    }
}
