package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.plan.hardware.PartitionMode;

import java.util.Locale;

import static dev.aimnext.operators.finetune.profile.memory.ServingPlanner.gib;

/** The plan as text for a terminal: modes per GPU, models per partition with their memory, rejections. */
public final class PlanReport {

    private PlanReport() {}

    public static String format(PlacementPlan plan) {
        StringBuilder out = new StringBuilder();
        int models = plan.placed().size() + plan.rejections().size();
        int gpus = plan.gpus().size();
        out.append(String.format(Locale.ROOT, "aim plan: %d of %d models placed on %d GPU%s, best of %d mode set-up%s "
                        + "(modes allowed: up to %s)%n", plan.placed().size(), models, gpus, gpus == 1 ? "" : "s",
                plan.configurationsTried(), plan.configurationsTried() == 1 ? "" : "s",
                plan.options().allowedModes().id()));
        for (NodePlacement node : plan.nodes()) {
            if (plan.nodes().size() > 1) {
                out.append(String.format(Locale.ROOT, "node %s: %d x %s, memory mode %s%n", node.node().name(),
                        node.node().count(), node.node().gpu().displayName(), node.memoryMode()));
            }
            for (int g = 0; g < node.gpus().size(); g++) {
                gpu(out, node, g);
            }
        }
        if (!plan.rejections().isEmpty()) {
            out.append("rejected:\n");
            plan.rejections().forEach(r -> out.append("  ").append(r.model()).append(" (").append(r.priority())
                    .append("): ").append(r.reason()).append('\n'));
        }
        out.append(String.format(Locale.ROOT, "max memory pressure %.2f (weights + KV floors over partition memory; "
                + "models may hold %.2f of each partition)%n", plan.maxPressure(),
                plan.options().gpuMemoryUtilization()));
        return out.toString();
    }

    private static void gpu(StringBuilder out, NodePlacement node, int index) {
        GpuPlacement gpu = node.gpus().get(index);
        PartitionMode mode = node.modes().get(index);
        if (node.idle(index)) {
            out.append(String.format(Locale.ROOT, "%s  %s  idle: skipped in the DCM profile, keeps its current mode%n",
                    gpu.gpuId(), mode.gpu().displayName()));
            return;
        }
        out.append(String.format(Locale.ROOT, "%s  %s (%s)  %d x %s, %d XCD%s each%n", gpu.gpuId(), mode,
                mode.support().id(), mode.partitions(), gib(mode.partitionBytes()), mode.xcdsPerPartition(),
                mode.xcdsPerPartition() == 1 ? "" : "s"));
        for (PartitionSlot p : gpu.partitions()) {
            if (p.models().isEmpty()) {
                out.append(String.format(Locale.ROOT, "  %-14s empty%n", p.partitionId()));
                continue;
            }
            out.append(String.format(Locale.ROOT, "  %-14s compute %.3f  pressure %.2f%n", p.partitionId(),
                    p.computeShare(), PlacementPlan.pressure(p)));
            for (ModelSlot m : p.models()) {
                out.append(String.format(Locale.ROOT, "    %-20s %-6s weights %s  KV floor %s  KV budget %s%n",
                        m.model(), m.priority(), gib(m.weightBytes()), gib(m.kvFloorBytes()), gib(m.kvBudgetBytes())));
            }
        }
    }
}
