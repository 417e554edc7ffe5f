package dev.aimnext.operators.qos.plan.hardware;

import java.util.Locale;

/**
 * How far AMD stands behind a partition mode on a GPU model, from most to least vetted. A planner
 * allows modes up to a level: {@code validated} only, {@code documented} as well (the default), or
 * also {@code preview}.
 */
public enum ModeSupport {
    /** Listed as validated in AMD's GPU partitioning compatibility matrix. */
    VALIDATED("validated"),
    /** Described by AMD's partitioning guide and accepted by amd-smi, but not in the compatibility matrix. */
    DOCUMENTED("documented"),
    /** A preview AMD does not validate (e.g. MI355X CPX, SR-IOV driver only); used only when asked for. */
    PREVIEW("preview");

    private final String id;

    ModeSupport(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Whether a mode of this level may be used when {@code allowed} is the least-vetted level asked for. */
    public boolean within(ModeSupport allowed) {
        return ordinal() <= allowed.ordinal();
    }

    /** Parses {@code validated|documented|preview}, any case. */
    public static ModeSupport parse(String text) {
        String key = text.trim().toLowerCase(Locale.ROOT);
        for (ModeSupport s : values()) {
            if (s.id.equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown mode support level '" + text
                + "'; expected validated, documented or preview");
    }
}
