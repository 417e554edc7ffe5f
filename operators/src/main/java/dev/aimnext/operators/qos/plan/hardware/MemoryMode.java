package dev.aimnext.operators.qos.plan.hardware;

import java.util.Locale;

/**
 * How a GPU's HBM is split into NUMA domains: NPS1 keeps one, NPS2 and NPS4 make 2 and 4. Each
 * compute partition still gets its equal share of the memory; NPS only changes which stacks serve
 * it, so it changes locality, not capacity.
 */
public enum MemoryMode {
    NPS1(1),
    NPS2(2),
    NPS4(4);

    private final int domains;

    MemoryMode(int domains) {
        this.domains = domains;
    }

    /** Memory partitions (NUMA domains) this mode makes of one GPU. */
    public int domains() {
        return domains;
    }

    /** Parses {@code nps1|nps2|nps4}, any case. */
    public static MemoryMode parse(String text) {
        String key = text.trim().toUpperCase(Locale.ROOT);
        for (MemoryMode m : values()) {
            if (m.name().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown memory partition mode '" + text + "'; expected NPS1, NPS2 or NPS4");
    }
}
