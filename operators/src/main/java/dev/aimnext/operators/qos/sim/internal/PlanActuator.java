package dev.aimnext.operators.qos.sim.internal;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.sim.PlanOutcome;
import dev.aimnext.operators.qos.sim.PlanOutcome.ActionOutcome;
import dev.aimnext.operators.qos.sim.PlanParameters;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link PartitionPlan} to the simulated GPU, action by action: an action that is
 * malformed or does not fit is skipped with a note, and the others still apply. Parameter keys are
 * those of {@link PlanParameters}.
 */
public final class PlanActuator {

    private final ServingState state;

    public PlanActuator(ServingState state) {
        this.state = state;
    }

    /** Applies {@code plan} at simulated time {@code now}. */
    public PlanOutcome apply(PartitionPlan plan, double now) {
        List<ActionOutcome> outcomes = new ArrayList<>();
        String gpuId = state.placement().gpuId();
        for (PlanAction action : plan.getActions()) {
            String refusal = null;
            if (Boolean.TRUE.equals(plan.getDryRun())) {
                refusal = "dry run: not applied";
            } else if (!gpuId.equals(plan.getGpuId())) {
                refusal = "plan is for GPU " + plan.getGpuId() + " but the simulator runs " + gpuId;
            }
            String note;
            boolean applied = false;
            if (refusal != null) {
                note = refusal;
            } else {
                try {
                    note = applyAction(action, now);
                    applied = true;
                } catch (IllegalArgumentException e) {
                    note = "refused: " + e.getMessage();
                }
            }
            outcomes.add(new ActionOutcome(action.getKind(), action.getModel(), applied, note));
        }
        return new PlanOutcome(plan.getPlanId(), (long) Math.floor(now), outcomes);
    }

    /** Applies one action and says what it did, or throws with the reason it changed nothing. */
    private String applyAction(PlanAction action, double now) {
        return switch (action.getKind()) {
            case SET_PRIORITY -> setPriority(action);
            case ADMISSION_LIMIT -> admissionLimit(action);
            case RESIZE_KV_BUDGET -> resizeKv(action);
            case MOVE_MODEL -> move(action, now);
            case CHANGE_PARTITION_MODE -> throw new IllegalArgumentException("a partition mode change needs a drain (all"
                    + " GPU work stopped; NPS changes reload the driver), which the simulator does not model; asked for "
                    + action.getParameters().getOrDefault(PlanParameters.COMPUTE_MODE, "?") + "/"
                    + action.getParameters().getOrDefault(PlanParameters.MEMORY_MODE, "?"));
        };
    }

    private String setPriority(PlanAction action) {
        String model = requireModel(action);
        Priority priority = PlanParameters.priority(action.getParameters());
        GpuPlacement placement = state.placement();
        ModelSlot slot = placement.model(model).orElseThrow();
        PartitionSlot partition = placement.partitionOf(model).orElseThrow();
        state.updatePlacement(placement.withPartition(partition.withModel(slot.withPriority(priority))));
        return "priority " + priority;
    }

    private String admissionLimit(PlanAction action) {
        String model = requireModel(action);
        int limit = PlanParameters.maxInFlight(action.getParameters());
        // Requests already queued stay; the limit only refuses new arrivals, as a gateway would.
        state.engine(model).maxInFlight = limit;
        return limit == Integer.MAX_VALUE ? "admission unlimited" : "at most " + limit + " in flight";
    }

    private String resizeKv(PlanAction action) {
        String model = requireModel(action);
        long bytes = PlanParameters.kvBudgetBytes(action.getParameters());
        GpuPlacement placement = state.placement();
        ModelSlot slot = placement.model(model).orElseThrow();
        PartitionSlot partition = placement.partitionOf(model).orElseThrow();
        ModelSlot resized = slot.withKvBudget(bytes);
        long used = partition.usedBytes() - slot.memoryBytes() + resized.memoryBytes();
        if (used > partition.memoryBytes()) {
            throw new IllegalArgumentException(bytes + " bytes of KV would put " + partition.partitionId() + " at " + used
                    + " of " + partition.memoryBytes() + " bytes");
        }
        state.updatePlacement(placement.withPartition(partition.withModel(resized)));
        ModelEngine engine = state.engine(model);
        // A running step finishes with the requests that still fit; the next one admits by the new budget.
        engine.resizeKv(bytes);
        return "KV budget " + bytes + " bytes";
    }

    private String move(PlanAction action, double now) {
        String model = requireModel(action);
        String to = action.getToPartition();
        if (to == null || to.isBlank()) {
            throw new IllegalArgumentException("MOVE_MODEL needs toPartition");
        }
        GpuPlacement placement = state.placement();
        PartitionSlot from = placement.partitionOf(model).orElseThrow();
        if (action.getFromPartition() != null && !action.getFromPartition().equals(from.partitionId())) {
            throw new IllegalArgumentException(model + " is in " + from.partitionId() + ", not " + action.getFromPartition());
        }
        if (from.partitionId().equals(to)) {
            throw new IllegalArgumentException(model + " is already in " + to);
        }
        PartitionSlot target = placement.partition(to)
                .orElseThrow(() -> new IllegalArgumentException("no partition " + to + " on " + placement.gpuId()));
        ModelSlot slot = placement.model(model).orElseThrow();
        ModelSlot moved = slot.withKvBudget(PlanParameters.kvBudgetBytes(action.getParameters(), slot.kvBudgetBytes()));
        if (moved.memoryBytes() > target.freeBytes()) {
            throw new IllegalArgumentException(model + " needs " + moved.memoryBytes() + " bytes but " + to + " has "
                    + target.freeBytes() + " free");
        }
        long downtime = PlanParameters.downtimeMs(action.getParameters(), state.config().moveDowntimeMs());
        GpuPlacement after = placement.move(model, to);
        state.updatePlacement(after.withPartition(after.partition(to).orElseThrow().withModel(moved)));
        ModelEngine engine = state.engine(model);
        engine.reload(now, downtime);
        engine.resizeKv(moved.kvBudgetBytes());
        return "moved to " + to + ", offline for " + downtime + " ms";
    }

    /** The action's model, which must be simulated here. */
    private String requireModel(PlanAction action) {
        String model = action.getModel();
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException(action.getKind() + " needs a model");
        }
        state.engine(model);
        return model;
    }
}
