package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.qos.placement.Priority;

import java.util.Objects;

/**
 * What one model asks of a partition: its weights (with any runtime memory the source knows of)
 * and the least KV cache it must have. The planner places a model only where both fit.
 *
 * @param name the served model name, as telemetry reports it
 * @param priority its priority; HIGH models are kept apart from others where memory allows
 * @param weightBytes resident weights, plus LoRA slot and runtime memory when an AIM profile gives them
 * @param kvFloorBytes the KV cache it must never go below
 * @param summary where the sizes come from, for the report (e.g. {@code config.json, bf16, 8.03B parameters})
 */
public record ModelDemand(String name, Priority priority, long weightBytes, long kvFloorBytes, String summary) {

    public ModelDemand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(summary, "summary");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a model needs a name");
        }
        if (weightBytes <= 0 || kvFloorBytes < 0) {
            throw new IllegalArgumentException("model " + name + ": weights must be > 0 and the KV floor >= 0, was "
                    + weightBytes + " and " + kvFloorBytes);
        }
    }

    /** Weights plus KV floor: what a partition must have free to take this model. */
    public long minimumBytes() {
        return weightBytes + kvFloorBytes;
    }
}
