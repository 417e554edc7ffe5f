package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything the rebalancer holds for one GPU: the current placement, the cooldown clocks, the model
 * histories and the admission limits it has asked for. The Flink operator keeps each part in keyed
 * state (key: GPU id) and rebuilds this holder per record. Maps are sorted so every decision walks
 * models in the same order and a replay gives the same plans.
 */
public final class GpuState {

    /** Clock key of the latest plan of any tier, for the settle time. */
    public static final String ANY_PLAN = "any";

    private GpuPlacement placement;
    private final Map<String, Long> clocks;
    private final Map<String, ModelHistory> histories;
    private final Map<String, Double> admissionLimits;

    public GpuState(GpuPlacement placement) {
        this(placement, Map.of(), Map.of(), Map.of());
    }

    /** Rebuilds the state from its parts, as the Flink operator stores them. */
    public GpuState(GpuPlacement placement, Map<String, Long> clocks, Map<String, ModelHistory> histories,
            Map<String, Double> admissionLimits) {
        this.placement = Objects.requireNonNull(placement, "placement");
        this.clocks = new TreeMap<>(clocks);
        this.histories = new TreeMap<>(histories);
        this.admissionLimits = new TreeMap<>(admissionLimits);
    }

    public String gpuId() {
        return placement.gpuId();
    }

    public GpuPlacement placement() {
        return placement;
    }

    public void placement(GpuPlacement next) {
        if (!next.gpuId().equals(placement.gpuId())) {
            throw new IllegalArgumentException("placement of " + next.gpuId() + " given to the state of " + placement.gpuId());
        }
        placement = next;
    }

    /** Cooldown clocks: tier number ("1" to "4") or {@link #ANY_PLAN} → event time of the latest plan. */
    public Map<String, Long> clocks() {
        return clocks;
    }

    public Map<String, ModelHistory> histories() {
        return histories;
    }

    /** Models the rebalancer has asked to cap → the requests per second asked for. */
    public Map<String, Double> admissionLimits() {
        return admissionLimits;
    }

    public ModelHistory history(String model) {
        return histories.computeIfAbsent(model, ModelHistory::new);
    }

    /** Whether {@code cooldownMs} has passed at {@code nowMs} since the clock {@code key} last ran. */
    public boolean cooledDown(String key, long cooldownMs, long nowMs) {
        Long last = clocks.get(key);
        return last == null || nowMs - last >= cooldownMs;
    }
}
