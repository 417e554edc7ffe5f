package dev.aimnext.operators.qos.placement;

/** How much a model's SLO matters when partitions are contended; HIGH models are protected first. */
public enum Priority {
    HIGH,
    MEDIUM,
    LOW;

    /** Parses {@code high|medium|low} (any case), as SLO YAML and profiles write it. */
    public static Priority parse(String text) {
        for (Priority p : values()) {
            if (p.name().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown priority '" + text + "', expected high, medium or low");
    }
}
