package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.schemas.event.PlanAction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Tier 1, seconds: when a HIGH-priority model misses its objective, tell the partition's scheduler
 * to favour it (SET_PRIORITY, where its slot does not say HIGH yet) and cap each lower-priority
 * neighbour's requests in flight at {@value #HEADROOM} × its mean (ADMISSION_LIMIT). The cap cuts a
 * neighbour's bursts, which are what hurts the HIGH model's tail, while leaving its average traffic
 * alone. A neighbour is hinted once; if that does not help, the later tiers take over.
 */
public final class AdmissionHints {

    /** Clock key prefix of the hint issued for a neighbour. */
    public static final String HINT_CLOCK = "hint:";

    /** Cap on a neighbour's requests in flight, relative to its mean in flight (Little's law). */
    static final double HEADROOM = 1.5;

    private AdmissionHints() {}

    public static Optional<Proposal> propose(TierContext ctx) {
        GpuPlacement placement = ctx.placement();
        Optional<ModelSlot> found = placement.model(ctx.model());
        PressureModel pm = ctx.pressure();
        if (found.isEmpty() || pm.priority(found.get()) != Priority.HIGH
                || pm.sloPressure(ctx.model()) <= ctx.settings().pressureTrigger()) {
            return Optional.empty();
        }
        ModelSlot high = found.get();
        PartitionSlot partition = placement.partitionOf(ctx.model()).orElseThrow();
        List<PlanAction> actions = new ArrayList<>();
        GpuPlacement expected = placement;
        if (high.priority() != Priority.HIGH) {
            actions.add(PlanActions.setPriority(high.model(), Priority.HIGH));
            expected = expected.withPartition(partition.withModel(high.withPriority(Priority.HIGH)));
        }
        Map<String, Double> limitsAfter = new TreeMap<>(ctx.limits());
        for (ModelSlot n : partition.models()) {
            if (n.model().equals(high.model()) || pm.priority(n) == Priority.HIGH
                    || ctx.state().clocks().containsKey(HINT_CLOCK + n.model())) {
                continue;
            }
            Optional<ModelHistory> h = pm.history(n.model());
            if (h.isEmpty() || h.get().meanInFlight() <= 0) {
                continue;
            }
            long maxInFlight = Math.max(1, (long) Math.ceil(h.get().meanInFlight() * HEADROOM));
            actions.add(PlanActions.admissionLimit(n.model(), maxInFlight));
            limitsAfter.put(n.model(), (double) maxInFlight);
        }
        if (actions.isEmpty()) {
            return Optional.empty();
        }
        ModelHistory h = pm.history(high.model()).orElseThrow();
        return Optional.of(new Proposal(1, Trigger.sloBurn(pm.slo(high.model()).orElseThrow(), h), actions,
                ctx.current().gpu(), pm.predict(placement, ctx.limits(), expected, limitsAfter).gpu(), expected));
    }
}
