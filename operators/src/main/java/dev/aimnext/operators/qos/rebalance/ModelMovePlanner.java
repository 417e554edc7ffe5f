package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.PlanAction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Tier 3, minutes: moves one model to another partition of the same GPU. Memory is the bin: a move
 * is a candidate only if the target's free memory holds the model's weights plus KV floor (and its
 * SLO's minimum memory); the model keeps its KV budget, or as much of it as fits. Among candidates
 * it picks, in order: fewest HIGH-with-bursty pairs, lowest predicted GPU pressure (minimise the
 * maximum), moving the less important model, then names, so the choice is deterministic. The move
 * is proposed only if {@link MoveTriggers#worthIt} (gain over τ); a moved model's admission limit
 * is lifted, since it was there to protect the neighbours it leaves.
 *
 * <p>Single moves only: a swap needs both models out before either lands, which an actuator
 * applying actions in order cannot do without over-committing a partition.
 */
public final class ModelMovePlanner {

    private ModelMovePlanner() {}

    /** A candidate move and what it leads to. */
    record Candidate(ModelSlot model, PartitionSlot from, PartitionSlot to, ModelSlot moved, GpuPlacement after,
            int violations, double pressure) {
    }

    public static Optional<Proposal> propose(TierContext ctx) {
        Optional<Trigger> trigger = MoveTriggers.find(ctx);
        if (trigger.isEmpty()) {
            return Optional.empty();
        }
        PressureModel pm = ctx.pressure();
        GpuPlacement placement = ctx.placement();
        double before = ctx.current().gpu();
        int violationsBefore = pm.antiAffinityViolations(placement);
        Optional<Candidate> best = candidates(ctx).stream().min(Comparator.comparingInt(Candidate::violations)
                .thenComparingDouble(Candidate::pressure)
                .thenComparingInt(c -> -pm.priority(c.model()).ordinal())
                .thenComparing(c -> c.model().model())
                .thenComparing(c -> c.to().partitionId()));
        if (best.isEmpty() || !MoveTriggers.worthIt(before, best.get().pressure(), violationsBefore,
                best.get().violations(), ctx.settings().tau())) {
            return Optional.empty();
        }
        Candidate c = best.get();
        List<PlanAction> actions = new ArrayList<>();
        actions.add(PlanActions.moveModel(c.model().model(), c.from().partitionId(), c.to().partitionId(),
                c.moved().kvBudgetBytes()));
        if (ctx.limits().containsKey(c.model().model())) {
            actions.add(PlanActions.liftAdmissionLimit(c.model().model()));
        }
        return Optional.of(new Proposal(3, trigger.get(), actions, before, c.pressure(), c.after()));
    }

    static List<Candidate> candidates(TierContext ctx) {
        PressureModel pm = ctx.pressure();
        GpuPlacement placement = ctx.placement();
        List<Candidate> out = new ArrayList<>();
        for (PartitionSlot from : placement.partitions()) {
            for (ModelSlot m : from.models()) {
                for (PartitionSlot to : placement.partitions()) {
                    if (to.partitionId().equals(from.partitionId())) {
                        continue;
                    }
                    Optional<ModelSlot> moved = fit(m, to.freeBytes(), pm);
                    if (moved.isEmpty()) {
                        continue;
                    }
                    GpuPlacement after = placement.withPartition(from.withoutModel(m.model()))
                            .withPartition(to.withModel(moved.get()));
                    Map<String, Double> limitsAfter = new TreeMap<>(ctx.limits());
                    limitsAfter.remove(m.model());
                    out.add(new Candidate(m, from, to, moved.get(), after, pm.antiAffinityViolations(after),
                            pm.predict(placement, ctx.limits(), after, limitsAfter).gpu()));
                }
            }
        }
        return out;
    }

    /**
     * {@code m} with the KV budget it gets in {@code freeBytes}: its current budget if that fits,
     * else what is left after its weights; empty if not even its floor or SLO minimum fits.
     */
    static Optional<ModelSlot> fit(ModelSlot m, long freeBytes, PressureModel pm) {
        long room = freeBytes - m.weightBytes();
        long least = Math.max(m.kvFloorBytes(),
                pm.slo(m.model()).map(ModelSlo::minMemoryBytes).orElse(0L) - m.weightBytes());
        if (room < least) {
            return Optional.empty();
        }
        return Optional.of(m.withKvBudget(Math.min(m.kvBudgetBytes(), room)));
    }
}
