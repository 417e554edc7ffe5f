package dev.aimnext.operators.qos.placement;

import java.util.Objects;

/**
 * One model served in a partition, with the memory it holds there: its weights (fixed) and its
 * KV-cache budget (what tier-2 resizing moves between neighbours).
 *
 * @param model the served model name, as telemetry reports it
 * @param priority its priority
 * @param weightBytes bytes of weights (and runtime overhead) resident in the partition
 * @param kvBudgetBytes bytes of KV cache it may use now
 * @param kvFloorBytes the KV budget it must never go below (enough for its minimum concurrency)
 */
public record ModelSlot(String model, Priority priority, long weightBytes, long kvBudgetBytes, long kvFloorBytes) {

    public ModelSlot {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(priority, "priority");
        if (weightBytes < 0 || kvFloorBytes < 0 || kvBudgetBytes < kvFloorBytes) {
            throw new IllegalArgumentException("model " + model + ": need 0 <= weights, 0 <= kv floor <= kv budget, was weights="
                    + weightBytes + " budget=" + kvBudgetBytes + " floor=" + kvFloorBytes);
        }
    }

    /** Weights plus KV budget: what this model occupies in its partition. */
    public long memoryBytes() {
        return weightBytes + kvBudgetBytes;
    }

    /** The least memory this model can run with: weights plus the KV floor. */
    public long minimumBytes() {
        return weightBytes + kvFloorBytes;
    }

    public ModelSlot withKvBudget(long bytes) {
        return new ModelSlot(model, priority, weightBytes, bytes, kvFloorBytes);
    }

    public ModelSlot withPriority(Priority p) {
        return new ModelSlot(model, p, weightBytes, kvBudgetBytes, kvFloorBytes);
    }
}
