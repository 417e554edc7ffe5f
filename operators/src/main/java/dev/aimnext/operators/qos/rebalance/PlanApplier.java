package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.sim.PlanParameters;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;
import dev.aimnext.schemas.event.PlanActionKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Brings a {@link GpuState} up to date with a plan that was carried out, action by action, in the
 * plan's order. A CHANGE_PARTITION_MODE rebuilds the partitions, and the MOVE_MODEL actions after
 * it place every model into them; a model the plan leaves out of the new layout is an error.
 */
final class PlanApplier {

    private PlanApplier() {}

    static void apply(GpuState state, PartitionPlan plan) {
        GpuPlacement placement = state.placement();
        List<PlanAction> actions = plan.getActions();
        int first = 0;
        if (!actions.isEmpty() && actions.get(0).getKind() == PlanActionKind.CHANGE_PARTITION_MODE) {
            placement = repartition(placement, actions, plan.getPlanId());
            first = actions.size();
            for (PlanAction a : actions) {
                forgetHints(state, a.getModel());
            }
        }
        for (PlanAction a : actions.subList(first, actions.size())) {
            placement = applyOne(state, placement, a, plan.getPlanId());
        }
        state.placement(placement);
    }

    private static GpuPlacement applyOne(GpuState state, GpuPlacement placement, PlanAction a, String planId) {
        Map<String, String> params = a.getParameters();
        String model = a.getModel();
        switch (a.getKind()) {
            case SET_PRIORITY -> {
                return replace(placement, slot(placement, model, planId).withPriority(PlanParameters.priority(params)));
            }
            case ADMISSION_LIMIT -> {
                int limit = PlanParameters.maxInFlight(params);
                if (limit == Integer.MAX_VALUE) {
                    state.admissionLimits().remove(model);
                } else {
                    state.admissionLimits().put(model, (double) limit);
                }
                return placement;
            }
            case RESIZE_KV_BUDGET -> {
                return replace(placement, slot(placement, model, planId).withKvBudget(PlanParameters.kvBudgetBytes(params)));
            }
            case MOVE_MODEL -> {
                ModelSlot slot = slot(placement, model, planId);
                GpuPlacement moved = placement.move(model, a.getToPartition());
                forgetHints(state, model);
                return replace(moved, slot.withKvBudget(PlanParameters.kvBudgetBytes(params, slot.kvBudgetBytes())));
            }
            default -> throw new IllegalArgumentException("plan " + planId + ": CHANGE_PARTITION_MODE must be the first action");
        }
    }

    /** A moved model starts afresh: its hints and limits were about the neighbours it left. */
    private static void forgetHints(GpuState state, String model) {
        if (model != null) {
            state.clocks().remove(AdmissionHints.HINT_CLOCK + model);
            state.admissionLimits().remove(model);
        }
    }

    private static GpuPlacement repartition(GpuPlacement old, List<PlanAction> actions, String planId) {
        Map<String, String> params = actions.get(0).getParameters();
        String compute = params.get(PlanParameters.COMPUTE_MODE);
        String memory = params.get(PlanParameters.MEMORY_MODE);
        int n = Integer.parseInt(params.get(PlanActions.PARTITIONS));
        long gpuBytes = old.partitions().get(0).memoryBytes()
                * PartitionModePlanner.mode(old).orElseThrow(() -> new IllegalArgumentException(
                        "plan " + planId + ": cannot re-partition " + old.gpuId() + " from mode " + old.computeMode()))
                        .partitions();
        List<PartitionSlot> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PartitionSlot p = new PartitionSlot(PartitionModePlanner.partitionId(old.gpuId(), compute, i), gpuBytes / n,
                    1.0 / n, List.of());
            for (PlanAction a : actions.subList(1, actions.size())) {
                if (a.getKind() == PlanActionKind.MOVE_MODEL && p.partitionId().equals(a.getToPartition())) {
                    ModelSlot slot = slot(old, a.getModel(), planId);
                    p = p.withModel(slot.withKvBudget(PlanParameters.kvBudgetBytes(a.getParameters(), slot.kvBudgetBytes())));
                }
            }
            parts.add(p);
        }
        GpuPlacement next = new GpuPlacement(old.gpuId(), compute, memory, parts);
        for (PartitionSlot p : old.partitions()) {
            for (ModelSlot m : p.models()) {
                if (next.model(m.model()).isEmpty()) {
                    throw new IllegalArgumentException("plan " + planId + ": the new partitions leave out model " + m.model());
                }
            }
        }
        return next;
    }

    private static ModelSlot slot(GpuPlacement placement, String model, String planId) {
        return placement.model(model).orElseThrow(() -> new IllegalArgumentException(
                "plan " + planId + ": model " + model + " is not placed on " + placement.gpuId()));
    }

    private static GpuPlacement replace(GpuPlacement placement, ModelSlot slot) {
        PartitionSlot p = placement.partitionOf(slot.model()).orElseThrow();
        return placement.withPartition(p.withModel(slot));
    }
}
