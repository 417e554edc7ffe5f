package dev.aimnext.operators.qos.slo;

import dev.aimnext.operators.qos.placement.Priority;

import java.io.Serializable;
import java.util.Objects;

/**
 * The service-level objectives of one served model, as the SLO YAML declares them. A latency
 * objective of 0 means the model has none for that measure.
 *
 * @param model the model name telemetry reports
 * @param ttftP99Ms p99 time to first token, in ms
 * @param tpotP99Ms p99 time per output token, in ms
 * @param e2eP99Ms p99 end-to-end latency, in ms
 * @param priority how much the model matters when partitions are contended
 * @param minMemoryBytes the least memory the rebalancer may leave it (weights plus a KV floor)
 * @param maxMemoryBytes the most memory the rebalancer may give it; 0 for no cap
 */
public record ModelSlo(String model, double ttftP99Ms, double tpotP99Ms, double e2eP99Ms, Priority priority,
        long minMemoryBytes, long maxMemoryBytes) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The objectives are p99s, so 1% of requests may miss each one: the error budget. */
    public static final double TARGET_ATTAINMENT = 0.99;

    public ModelSlo {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(priority, "priority");
        if (ttftP99Ms < 0 || tpotP99Ms < 0 || e2eP99Ms < 0) {
            throw new IllegalArgumentException("model " + model + ": latency objectives must not be negative");
        }
        if (minMemoryBytes < 0 || (maxMemoryBytes != 0 && maxMemoryBytes < minMemoryBytes)) {
            throw new IllegalArgumentException("model " + model + ": need 0 <= min memory <= max memory (or max 0 for no cap)");
        }
    }
}
