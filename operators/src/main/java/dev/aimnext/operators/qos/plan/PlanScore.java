package dev.aimnext.operators.qos.plan;

import java.util.Arrays;

/**
 * How good a placement is, compared in this order: fewer rejected HIGH, then MEDIUM, then LOW
 * models; fewer HIGH models sharing a partition; a lower maximum memory pressure (weights + KV
 * floors over partition memory); a lower pressure summed over the models, each counting its own
 * partition's, which spreads models over idle GPUs and prefers large partitions to small ones;
 * last, fewer partitions on the GPUs in use, since a larger partition lets its models share KV room.
 * Pressures closer than {@link #PRESSURE_TOLERANCE} count as equal.
 */
record PlanScore(int[] rejectedByPriority, int sharedHigh, double maxPressure, double modelPressure,
        int partitionsInUse) implements Comparable<PlanScore> {

    /** Pressures closer than this are a tie, so that the next criterion decides. */
    static final double PRESSURE_TOLERANCE = 0.005;

    PlanScore {
        rejectedByPriority = rejectedByPriority.clone();
    }

    /** Negative when this placement is better than {@code other}. */
    @Override
    public int compareTo(PlanScore other) {
        int c = Arrays.compare(rejectedByPriority, other.rejectedByPriority);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(sharedHigh, other.sharedHigh);
        if (c != 0) {
            return c;
        }
        if (Math.abs(maxPressure - other.maxPressure) >= PRESSURE_TOLERANCE) {
            return Double.compare(maxPressure, other.maxPressure);
        }
        if (Math.abs(modelPressure - other.modelPressure) >= PRESSURE_TOLERANCE) {
            return Double.compare(modelPressure, other.modelPressure);
        }
        return Integer.compare(partitionsInUse, other.partitionsInUse);
    }

    boolean betterThan(PlanScore other) {
        return other == null || compareTo(other) < 0;
    }
}
