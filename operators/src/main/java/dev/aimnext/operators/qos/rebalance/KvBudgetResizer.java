package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.PlanAction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Tier 2, minutes: a model that misses its objective while its KV cache is nearly full gets KV
 * budget from its partition, first from unused memory, then from co-located models of no higher
 * priority, least important and least KV-pressed first. It grows to where its current KV use would
 * fill {@code kvTarget} of the budget.
 *
 * <p>Limits: a donor never goes below its KV floor ({@link ModelSlot#kvFloorBytes}), its SLO's
 * minimum memory, or what its own current use needs at {@code kvTarget}; the receiver never goes
 * above its SLO's maximum memory ({@link ModelSlo#maxMemoryBytes}). Donors shrink before the
 * receiver grows, so the partition is never over-committed while the plan is applied in order.
 */
public final class KvBudgetResizer {

    private KvBudgetResizer() {}

    public static Optional<Proposal> propose(TierContext ctx) {
        GpuPlacement placement = ctx.placement();
        PressureModel pm = ctx.pressure();
        RebalanceSettings s = ctx.settings();
        Optional<ModelSlot> found = placement.model(ctx.model());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ModelSlot slot = found.get();
        double kv = pm.kvPressure(slot);
        if (kv < s.kvStarved() || pm.sloPressure(slot.model()) <= s.pressureTrigger()) {
            return Optional.empty();
        }
        long used = pm.history(slot.model()).orElseThrow().kvUsedBytes;
        long want = (long) Math.ceil(used / s.kvTarget()) - slot.kvBudgetBytes();
        long max = pm.slo(slot.model()).map(ModelSlo::maxMemoryBytes).orElse(0L);
        if (max > 0) {
            want = Math.min(want, max - slot.memoryBytes());
        }
        if (want <= 0) {
            return Optional.empty();
        }
        PartitionSlot partition = placement.partitionOf(slot.model()).orElseThrow();
        long got = Math.min(Math.max(0, partition.freeBytes()), want);
        List<PlanAction> actions = new ArrayList<>();
        PartitionSlot next = partition;
        List<ModelSlot> donors = new ArrayList<>(partition.models().stream()
                .filter(n -> !n.model().equals(slot.model()))
                .filter(n -> pm.priority(n).ordinal() >= pm.priority(slot).ordinal())
                .toList());
        donors.sort(Comparator.<ModelSlot>comparingInt(n -> -pm.priority(n).ordinal())
                .thenComparingDouble(pm::kvPressure)
                .thenComparing(ModelSlot::model));
        for (ModelSlot donor : donors) {
            if (got >= want) {
                break;
            }
            long give = Math.min(donor.kvBudgetBytes() - keep(donor, pm, s), want - got);
            if (give > 0) {
                ModelSlot shrunk = donor.withKvBudget(donor.kvBudgetBytes() - give);
                actions.add(PlanActions.resizeKvBudget(donor.model(), partition.partitionId(), shrunk.kvBudgetBytes()));
                next = next.withModel(shrunk);
                got += give;
            }
        }
        if (got <= 0) {
            return Optional.empty();
        }
        ModelSlot grown = slot.withKvBudget(slot.kvBudgetBytes() + got);
        actions.add(PlanActions.resizeKvBudget(slot.model(), partition.partitionId(), grown.kvBudgetBytes()));
        GpuPlacement expected = placement.withPartition(next.withModel(grown));
        return Optional.of(new Proposal(2, Trigger.kvPressure(slot.model(), kv, s.kvStarved()), actions,
                ctx.current().gpu(), pm.predict(placement, ctx.limits(), expected, ctx.limits()).gpu(), expected));
    }

    /** The least KV budget {@code donor} keeps: floor, SLO minimum, and room for its own use. */
    static long keep(ModelSlot donor, PressureModel pm, RebalanceSettings s) {
        long keep = donor.kvFloorBytes();
        long sloMin = pm.slo(donor.model()).map(ModelSlo::minMemoryBytes).orElse(0L) - donor.weightBytes();
        keep = Math.max(keep, sloMin);
        long used = pm.history(donor.model()).map(h -> h.kvUsedBytes).orElse(-1L);
        if (used >= 0) {
            keep = Math.max(keep, (long) Math.ceil(used / s.kvTarget()));
        }
        return keep;
    }
}
