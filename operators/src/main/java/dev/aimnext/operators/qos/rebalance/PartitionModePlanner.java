package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.plan.hardware.ComputeMode;
import dev.aimnext.operators.qos.plan.hardware.MemoryMode;
import dev.aimnext.schemas.event.PlanAction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Tier 4, offline: re-partitions the GPU (SPX/DPX/QPX/CPX) when no single move helps at all (none
 * fits, or none lowers the pressure without putting a HIGH model next to a bursty one). For
 * every other compute mode it splits the GPU's memory and compute evenly, packs the models greedily
 * (HIGH first, then by load: each into the partition that fits its weights plus KV floor, keeps it
 * away from bursty models where possible and ends with the least load), predicts the pressure, and
 * proposes the best mode if it is {@link MoveTriggers#worthIt worth it}. The plan is a
 * CHANGE_PARTITION_MODE action flagged {@code requiresDrain=true} (all GPU work must stop, and an
 * NPS change reloads the driver), followed by one MOVE_MODEL per model into the new partitions, which
 * are named {@code <gpu>/<mode><i>}, e.g. {@code gpu0/dpx1}. The memory mode is kept when the new
 * mode has at least as many partitions as it has NUMA domains, else NPS1.
 */
public final class PartitionModePlanner {

    private PartitionModePlanner() {}

    public static Optional<Proposal> propose(TierContext ctx) {
        Optional<Trigger> trigger = MoveTriggers.find(ctx);
        GpuPlacement placement = ctx.placement();
        Optional<ComputeMode> current = mode(placement);
        if (trigger.isEmpty() || current.isEmpty()) {
            return Optional.empty();
        }
        PressureModel pm = ctx.pressure();
        long gpuBytes = placement.partitions().get(0).memoryBytes() * current.get().partitions();
        MemoryMode memory = memoryMode(placement.memoryMode());
        double before = ctx.current().gpu();
        int violationsBefore = pm.antiAffinityViolations(placement);
        if (ModelMovePlanner.candidates(ctx).stream()
                .anyMatch(c -> c.violations() <= violationsBefore && c.pressure() < before)) {
            // Some move still helps, just less than τ: a drain is not the answer to a small gain.
            return Optional.empty();
        }
        GpuPlacement best = null;
        double bestPressure = Double.MAX_VALUE;
        int bestViolations = Integer.MAX_VALUE;
        for (ComputeMode target : ComputeMode.values()) {
            if (target == current.get()) {
                continue;
            }
            MemoryMode mem = memory.domains() <= target.partitions() ? memory : MemoryMode.NPS1;
            Optional<GpuPlacement> packed = pack(ctx, target, mem, gpuBytes);
            if (packed.isEmpty()) {
                continue;
            }
            int violations = pm.antiAffinityViolations(packed.get());
            double pressure = pm.predict(placement, ctx.limits(), packed.get(), ctx.limits()).gpu();
            if (violations < bestViolations || (violations == bestViolations && pressure < bestPressure)) {
                best = packed.get();
                bestPressure = pressure;
                bestViolations = violations;
            }
        }
        if (best == null || !MoveTriggers.worthIt(before, bestPressure, violationsBefore, bestViolations,
                ctx.settings().tau())) {
            return Optional.empty();
        }
        List<PlanAction> actions = new ArrayList<>();
        actions.add(PlanActions.changePartitionMode(best.computeMode(), best.memoryMode(), best.partitions().size()));
        for (PartitionSlot p : best.partitions()) {
            for (ModelSlot m : p.models()) {
                actions.add(PlanActions.moveModel(m.model(), placement.partitionOf(m.model()).orElseThrow().partitionId(),
                        p.partitionId(), m.kvBudgetBytes()));
            }
        }
        return Optional.of(new Proposal(4, trigger.get(), actions, before, bestPressure, best));
    }

    /** The id of partition {@code index} of {@code gpuId} in {@code mode}, e.g. {@code gpu0/dpx1}. */
    public static String partitionId(String gpuId, String mode, int index) {
        return gpuId + "/" + mode.toLowerCase(Locale.ROOT) + index;
    }

    static Optional<GpuPlacement> pack(TierContext ctx, ComputeMode target, MemoryMode memory, long gpuBytes) {
        PressureModel pm = ctx.pressure();
        GpuPlacement placement = ctx.placement();
        int n = target.partitions();
        List<PartitionSlot> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            parts.add(new PartitionSlot(partitionId(placement.gpuId(), target.name(), i), gpuBytes / n, 1.0 / n, List.of()));
        }
        List<ModelSlot> models = new ArrayList<>();
        placement.partitions().forEach(p -> models.addAll(p.models()));
        models.sort(Comparator.<ModelSlot>comparingInt(m -> pm.priority(m).ordinal())
                .thenComparingDouble(m -> -pm.load(m, ctx.limits()))
                .thenComparing(ModelSlot::model));
        for (ModelSlot m : models) {
            int bestIndex = -1;
            ModelSlot bestSlot = null;
            double bestKey = Double.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                Optional<ModelSlot> fitted = ModelMovePlanner.fit(m, parts.get(i).freeBytes(), pm);
                if (fitted.isEmpty()) {
                    continue;
                }
                PartitionSlot with = parts.get(i).withModel(fitted.get());
                GpuPlacement probe = new GpuPlacement(placement.gpuId(), target.name(), memory.name(), List.of(with));
                // A clash with a bursty model costs more than any load difference.
                double key = pm.antiAffinityViolations(probe) * 1e12 + pm.partitionLoad(with, ctx.limits());
                if (key < bestKey) {
                    bestKey = key;
                    bestIndex = i;
                    bestSlot = fitted.get();
                }
            }
            if (bestIndex < 0) {
                return Optional.empty();
            }
            parts.set(bestIndex, parts.get(bestIndex).withModel(bestSlot));
        }
        return Optional.of(new GpuPlacement(placement.gpuId(), target.name(), memory.name(), parts));
    }

    /** The placement's compute mode, if it is an AMD one and its partitions are equal, as AMD's are. */
    static Optional<ComputeMode> mode(GpuPlacement placement) {
        if (placement.partitions().isEmpty()) {
            return Optional.empty();
        }
        long size = placement.partitions().get(0).memoryBytes();
        if (placement.partitions().stream().anyMatch(p -> p.memoryBytes() != size)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ComputeMode.parse(placement.computeMode()));
        } catch (IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static MemoryMode memoryMode(String text) {
        try {
            return MemoryMode.parse(text);
        } catch (IllegalArgumentException | NullPointerException e) {
            return MemoryMode.NPS1;
        }
    }
}
