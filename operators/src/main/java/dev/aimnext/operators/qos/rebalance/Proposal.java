package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;

import java.util.List;

/**
 * What one tier proposes for a GPU before it becomes a {@link PartitionPlan}: its actions, the
 * placement they lead to, and the pressure before and (predicted) after.
 *
 * @param tier 1 hints, 2 KV resize, 3 model move, 4 partition mode change
 * @param trigger why
 * @param actions what to do, in order
 * @param pressureBefore GPU pressure now
 * @param pressureAfter predicted GPU pressure once the actions are applied
 * @param expected the placement the actions lead to
 */
public record Proposal(int tier, Trigger trigger, List<PlanAction> actions, double pressureBefore, double pressureAfter,
        GpuPlacement expected) {

    public Proposal {
        actions = List.copyOf(actions);
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a proposal needs at least one action");
        }
    }

    /** Relative gain {@code (before − after) / before}; 0 when there was no pressure. */
    public double gain() {
        return pressureBefore > 0 ? (pressureBefore - pressureAfter) / pressureBefore : 0;
    }

    /**
     * The plan for the wire. Its id is {@code gpu@windowEnd/tN}: deterministic, so a replay of the
     * same windows writes the same plan ids and a consumer can deduplicate at-least-once delivery.
     */
    public PartitionPlan toPlan(String gpuId, long nowMs, boolean dryRun) {
        return PartitionPlan.newBuilder()
                .setPlanId(gpuId + "@" + nowMs + "/t" + tier)
                .setGpuId(gpuId)
                .setTrigger(trigger.text())
                .setTier(tier)
                .setActions(actions)
                .setPressureBefore(pressureBefore)
                .setPressureAfter(pressureAfter)
                .setDryRun(dryRun)
                .setCreatedAtMs(nowMs)
                .build();
    }
}
