package dev.aimnext.operators.qos.sim;

/**
 * How much a model slows down while other models in the same partition have requests running.
 * Partitions isolate compute in hardware, so models in different partitions never interfere; models
 * in one partition time-slice its compute.
 *
 * <p>Each step draws a slowdown from a lognormal with the given median (p50) and 99th percentile;
 * its excess over 1 is multiplied by the summed weight of the active neighbours (1 each, see
 * {@link #neighbourWeight}). The defaults are the figures measured on an H200 with plain
 * time-slicing (see the partitioning notes, "Measured here"): prefill +60% at p50 and +112% at p99,
 * decode +26% at p50. Decode's p99 was not measured, so by default decode has no jitter.
 *
 * @param prefillSlowdownP50 median prefill step time with one busy neighbour, relative to alone
 * @param prefillSlowdownP99 99th percentile of the same, at least the median
 * @param decodeSlowdownP50 median decode step time with one busy neighbour, relative to alone
 * @param decodeSlowdownP99 99th percentile of the same, at least the median
 * @param priorityRelief the weight of a neighbour of lower priority than the model, in [0, 1]; a
 *     neighbour of higher priority weighs {@code 2 − priorityRelief}. 1 (the default) models plain
 *     time-slicing, where priorities change nothing; lower values model GPU queue priorities that
 *     shift contention from the higher to the lower-priority model
 */
public record InterferenceModel(double prefillSlowdownP50, double prefillSlowdownP99, double decodeSlowdownP50,
        double decodeSlowdownP99, double priorityRelief) {

    /** The z-score of the 99th percentile of a standard normal. */
    private static final double Z_99 = 2.3263478740408408;

    /** Calibrated from the partitioning notes' co-location measurement. */
    public static final InterferenceModel MEASURED = new InterferenceModel(1.60, 2.12, 1.26, 1.26, 1.0);

    /** No interference at all: co-located models run as if alone. */
    public static final InterferenceModel NONE = new InterferenceModel(1, 1, 1, 1, 1.0);

    public InterferenceModel {
        if (!(prefillSlowdownP50 >= 1 && prefillSlowdownP99 >= prefillSlowdownP50 && decodeSlowdownP50 >= 1
                && decodeSlowdownP99 >= decodeSlowdownP50) || Double.isInfinite(prefillSlowdownP99)
                || Double.isInfinite(decodeSlowdownP99)) {
            throw new IllegalArgumentException("interference slowdowns need 1 <= p50 <= p99 (finite), was prefill "
                    + prefillSlowdownP50 + "/" + prefillSlowdownP99 + ", decode " + decodeSlowdownP50 + "/" + decodeSlowdownP99);
        }
        if (!(priorityRelief >= 0 && priorityRelief <= 1)) {
            throw new IllegalArgumentException("priority relief must be in [0, 1], was " + priorityRelief);
        }
    }

    /** This model with {@code relief} for higher-priority models. */
    public InterferenceModel withPriorityRelief(double relief) {
        return new InterferenceModel(prefillSlowdownP50, prefillSlowdownP99, decodeSlowdownP50, decodeSlowdownP99, relief);
    }

    /**
     * The weight of one active neighbour on a model, by their priority ordinals (lower is more
     * important): {@code priorityRelief} when the model outranks it, 1 when equal, and
     * {@code 2 − priorityRelief} when it outranks the model.
     */
    public double neighbourWeight(int modelPriorityOrdinal, int neighbourPriorityOrdinal) {
        if (modelPriorityOrdinal < neighbourPriorityOrdinal) {
            return priorityRelief;
        }
        return modelPriorityOrdinal == neighbourPriorityOrdinal ? 1 : 2 - priorityRelief;
    }

    /**
     * The factor a step's time is multiplied by.
     *
     * @param prefill whether the step is a prefill step
     * @param neighbourWeight summed weight of the active neighbours; 0 when alone
     * @param z a standard-normal draw for the step's jitter
     */
    public double slowdown(boolean prefill, double neighbourWeight, double z) {
        if (neighbourWeight <= 0) {
            return 1;
        }
        double p50 = prefill ? prefillSlowdownP50 : decodeSlowdownP50;
        double p99 = prefill ? prefillSlowdownP99 : decodeSlowdownP99;
        double drawn = p99 == p50 ? p50 : p50 * Math.exp(Math.log(p99 / p50) / Z_99 * z);
        return 1 + Math.max(0, drawn - 1) * neighbourWeight;
    }
}
