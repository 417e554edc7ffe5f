package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;

import java.util.Optional;

/**
 * When tiers 3 and 4, which disrupt serving, may even look for a better placement: the GPU's worst
 * model has been over the pressure trigger for {@code sustainWindows} windows in a row (one bad
 * window is noise), or a HIGH model shares a partition with a bursty one.
 */
final class MoveTriggers {

    private MoveTriggers() {}

    static Optional<Trigger> find(TierContext ctx) {
        PressureModel pm = ctx.pressure();
        RebalanceSettings s = ctx.settings();
        PressureModel.Pressure now = ctx.current();
        if (now.worstModel() != null && now.gpu() > s.pressureTrigger()) {
            ModelHistory h = pm.history(now.worstModel()).orElse(null);
            if (h != null && h.windowsOver >= s.sustainWindows() && pm.slo(now.worstModel()).isPresent()) {
                return Optional.of(Trigger.sloBurn(pm.slo(now.worstModel()).get(), h));
            }
        }
        for (PartitionSlot p : ctx.placement().partitions()) {
            for (ModelSlot high : p.models()) {
                if (pm.priority(high) != Priority.HIGH) {
                    continue;
                }
                for (ModelSlot other : p.models()) {
                    if (!other.model().equals(high.model()) && pm.isBursty(other.model())) {
                        ModelHistory h = pm.history(other.model()).orElseThrow();
                        return Optional.of(Trigger.burstyNeighbour(high.model(), other.model(), h.rateCv(), s.burstyCv()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Whether a candidate is worth its disruption: its relative gain exceeds τ, or it separates a
     * HIGH model from a bursty neighbour without raising the pressure.
     */
    static boolean worthIt(double before, double after, int violationsBefore, int violationsAfter, double tau) {
        if (violationsAfter > violationsBefore) {
            return false;
        }
        double gain = before > 0 ? (before - after) / before : 0;
        return gain > tau || (violationsAfter < violationsBefore && after <= before);
    }
}
