package dev.aimnext.operators.qos.sim;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;
import dev.aimnext.schemas.event.PlanActionKind;

import java.util.List;
import java.util.Map;

/** Small placements, workloads and plans the simulator tests share. */
final class SimFixtures {

    static final long GIB = 1L << 30;

    private SimFixtures() {
    }

    /** One partition of {@code share} holding {@code models} (name, priority), 16 GiB weights and {@code kvBytes} each. */
    static PartitionSlot partition(String id, double share, long kvBytes, String... models) {
        List<ModelSlot> slots = java.util.Arrays.stream(models)
                .map(m -> new ModelSlot(m, Priority.MEDIUM, 16 * GIB, kvBytes, 0)).toList();
        return new PartitionSlot(id, 192 * GIB, share, slots);
    }

    static GpuPlacement gpu(PartitionSlot... partitions) {
        return new GpuPlacement("gpu0", "QPX", "NPS1", List.of(partitions));
    }

    /** A chat-like workload at {@code ratePerSec}: prompts ~400, outputs ~100 tokens, 8B speeds. */
    static ModelWorkload chat(String model, ArrivalPattern arrivals) {
        return new ModelWorkload(model, arrivals, TokenDistribution.lognormal(400, 0.4, 4096),
                TokenDistribution.lognormal(100, 0.5, 1024), ServingProfile.llama8b());
    }

    /** A long-prompt batch workload whose bursts keep it busy. */
    static ModelWorkload batch(String model, ArrivalPattern arrivals) {
        return new ModelWorkload(model, arrivals, TokenDistribution.lognormal(1500, 0.4, 8192),
                TokenDistribution.lognormal(150, 0.5, 2048), ServingProfile.llama8b());
    }

    static PartitionPlan plan(String id, PlanAction... actions) {
        return new PartitionPlan(id, "gpu0", "test", 3, List.of(actions), 0.0, 0.0, false, 0L);
    }

    static PlanAction action(PlanActionKind kind, String model, Map<String, String> parameters) {
        return new PlanAction(kind, model, null, null, parameters);
    }

    static PlanAction move(String model, String from, String to) {
        return new PlanAction(PlanActionKind.MOVE_MODEL, model, from, to, Map.of());
    }

    /** Runs {@code config} to its end and returns everything it emitted. */
    static TelemetryCollector run(SimulationConfig config) {
        TelemetryCollector collector = new TelemetryCollector();
        new ServingSimulator(config, collector).run();
        return collector;
    }
}
