package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;

import java.util.Map;

/**
 * What a tier sees when the rebalancer asks it for a proposal.
 *
 * @param settings thresholds and cooldowns
 * @param pressure the pressure model over the GPU's model histories
 * @param state the GPU's state; tiers read it and never change it
 * @param nowMs the event time: the end of the window being handled
 * @param model the model whose window arrived; tiers 1 and 2 act on its behalf
 */
public record TierContext(RebalanceSettings settings, PressureModel pressure, GpuState state, long nowMs, String model) {

    public GpuPlacement placement() {
        return state.placement();
    }

    /** Admission limits in force: model → most requests in flight. */
    public Map<String, Double> limits() {
        return state.admissionLimits();
    }

    /** The pressure of the placement as observed now. */
    public PressureModel.Pressure current() {
        return pressure.current(placement(), limits());
    }
}
