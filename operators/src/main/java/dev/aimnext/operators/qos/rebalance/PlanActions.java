package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.sim.PlanParameters;
import dev.aimnext.schemas.event.PlanAction;
import dev.aimnext.schemas.event.PlanActionKind;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the {@link PlanAction}s the tiers emit, with the parameter keys of {@link PlanParameters}
 * (the simulator and any actuator read the same keys), plus the rebalancer's own
 * {@link #REQUIRES_DRAIN} and {@link #PARTITIONS}.
 */
public final class PlanActions {

    /** CHANGE_PARTITION_MODE: always {@code "true"}; partitioning cannot happen while workloads run. */
    public static final String REQUIRES_DRAIN = "requiresDrain";

    /** CHANGE_PARTITION_MODE: how many partitions the new mode makes. */
    public static final String PARTITIONS = "partitions";

    private PlanActions() {}

    public static PlanAction setPriority(String model, Priority priority) {
        return action(PlanActionKind.SET_PRIORITY, model, null, null,
                Map.of(PlanParameters.PRIORITY, priority.name().toLowerCase(Locale.ROOT)));
    }

    public static PlanAction admissionLimit(String model, long maxInFlight) {
        return action(PlanActionKind.ADMISSION_LIMIT, model, null, null,
                Map.of(PlanParameters.MAX_IN_FLIGHT, Long.toString(maxInFlight)));
    }

    /** Lifts an earlier admission limit, e.g. once the model has moved away from whom it hurt. */
    public static PlanAction liftAdmissionLimit(String model) {
        return action(PlanActionKind.ADMISSION_LIMIT, model, null, null,
                Map.of(PlanParameters.MAX_IN_FLIGHT, PlanParameters.UNLIMITED));
    }

    public static PlanAction resizeKvBudget(String model, String partition, long kvBudgetBytes) {
        return action(PlanActionKind.RESIZE_KV_BUDGET, model, partition, partition,
                Map.of(PlanParameters.KV_BUDGET_BYTES, Long.toString(kvBudgetBytes)));
    }

    public static PlanAction moveModel(String model, String from, String to, long kvBudgetBytes) {
        return action(PlanActionKind.MOVE_MODEL, model, from, to,
                Map.of(PlanParameters.KV_BUDGET_BYTES, Long.toString(kvBudgetBytes)));
    }

    public static PlanAction changePartitionMode(String computeMode, String memoryMode, int partitions) {
        return action(PlanActionKind.CHANGE_PARTITION_MODE, null, null, null,
                Map.of(PlanParameters.COMPUTE_MODE, computeMode, PlanParameters.MEMORY_MODE, memoryMode,
                        PARTITIONS, Integer.toString(partitions), REQUIRES_DRAIN, "true"));
    }

    private static PlanAction action(PlanActionKind kind, String model, String from, String to, Map<String, String> params) {
        return PlanAction.newBuilder()
                .setKind(kind)
                .setModel(model)
                .setFromPartition(from)
                .setToPartition(to)
                .setParameters(new TreeMap<>(params))
                .build();
    }
}
