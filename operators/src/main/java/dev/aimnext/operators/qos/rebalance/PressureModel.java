package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.slo.ModelSlo;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pressure: one dimensionless number per model, partition and GPU, where 1.0 means "at the limit".
 *
 * <ul>
 *   <li><b>Model pressure</b> π = max(SLO pressure, KV pressure). SLO pressure is the worst ratio of
 *       a window's p99 to the model's objective over TTFT, TPOT and e2e (1.2 = 20 % over its p99
 *       objective). KV pressure is KV bytes in use ÷ KV budget, known only from GPU samples.
 *   <li><b>Partition pressure</b> = max π over its models; <b>GPU pressure</b> = max over partitions.
 * </ul>
 *
 * Why this shape: the max, not a mean, because one model over its SLO is an incident however idle
 * its neighbours are (Prism likewise optimises the worst GPU). SLO ratios rather than burn rates,
 * because burn saturates once every request misses, while a ratio still says how far off a model
 * is and how much a move may win. Memory is not part of pressure: it is the bin size. A placement in
 * which a model's weights plus its KV floor do not fit is never proposed.
 *
 * <p><b>Predictions.</b> To score a candidate placement the model assumes, to first order, that a
 * model's tail latency grows with the load on its partition per unit of compute:
 * {@code π' = π · Λ(after) / Λ(before)}. A model's load is its peak requests in flight (Little's
 * law: peak per-window rate × median e2e latency, capped by any admission limit) times its weights in
 * GiB (per-token compute grows with model size; at least 1 GiB, so a model with unknown weights is not
 * free); a partition's load Λ is the sum over its models ÷ its compute share. Requests in flight
 * rather than the rate, because a long-prompt batch request occupies the partition far longer than a
 * chat turn; the peak, because a bursty neighbour costs what it costs during its bursts. A model that was short of KV cache also scales by its KV use ratio after ÷ before.
 */
public final class PressureModel {

    private static final double GIB = 1024.0 * 1024 * 1024;

    private final RebalanceSettings settings;
    private final Map<String, ModelSlo> slos;
    private final Map<String, ModelHistory> histories;

    public PressureModel(RebalanceSettings settings, Map<String, ModelSlo> slos, Map<String, ModelHistory> histories) {
        this.settings = settings;
        this.slos = slos;
        this.histories = histories;
    }

    /** Pressure of a placement: per partition, and the worst model, which decides the GPU's. */
    public record Pressure(double gpu, String worstModel, Map<String, Double> byPartition) {
    }

    /**
     * SLO pressure from p99 latencies: the largest p99 ÷ objective over the objectives the model
     * has; 0 without an SLO. A NaN quantile (no successful request in the window) counts as 0.
     */
    public static double sloPressure(ModelSlo slo, double ttftP99Ms, double tpotP99Ms, double e2eP99Ms) {
        if (slo == null) {
            return 0;
        }
        return Math.max(ratio(ttftP99Ms, slo.ttftP99Ms()), Math.max(ratio(tpotP99Ms, slo.tpotP99Ms()),
                ratio(e2eP99Ms, slo.e2eP99Ms())));
    }

    private static double ratio(double p99, double objective) {
        return objective > 0 && Double.isFinite(p99) ? p99 / objective : 0;
    }

    public double sloPressure(String model) {
        ModelHistory h = histories.get(model);
        return h == null ? 0 : sloPressure(slos.get(model), h.ttftP99Ms, h.tpotP99Ms, h.e2eP99Ms);
    }

    /** KV use ÷ budget of the model in {@code slot}; 0 when no GPU sample reported its use. */
    public double kvPressure(ModelSlot slot) {
        ModelHistory h = histories.get(slot.model());
        if (h == null || h.kvUsedBytes < 0 || slot.kvBudgetBytes() <= 0) {
            return 0;
        }
        return (double) h.kvUsedBytes / slot.kvBudgetBytes();
    }

    /** The model's declared priority: its SLO's if it has one, else its slot's. */
    public Priority priority(ModelSlot slot) {
        ModelSlo slo = slos.get(slot.model());
        return slo != null ? slo.priority() : slot.priority();
    }

    public Optional<ModelSlo> slo(String model) {
        return Optional.ofNullable(slos.get(model));
    }

    public Optional<ModelHistory> history(String model) {
        return Optional.ofNullable(histories.get(model));
    }

    public boolean isBursty(String model) {
        ModelHistory h = histories.get(model);
        return h != null && h.isBursty(settings);
    }

    /**
     * A model's load: its peak requests in flight (Little's law: peak per-window rate × median e2e
     * latency, 1 s when unknown), capped by its admission limit, × max(weights in GiB, 1).
     *
     * @param limits model → most requests in flight it is admitted with
     */
    public double load(ModelSlot slot, Map<String, Double> limits) {
        ModelHistory h = histories.get(slot.model());
        if (h == null) {
            return 0;
        }
        double inFlight = h.peakRate() * (h.e2eP50Ms > 0 ? h.e2eP50Ms / 1000.0 : 1.0);
        Double maxInFlight = limits.get(slot.model());
        if (maxInFlight != null) {
            inFlight = Math.min(inFlight, maxInFlight);
        }
        return inFlight * Math.max(1.0, slot.weightBytes() / GIB);
    }

    /** Λ: the summed load of the partition's models ÷ its compute share. */
    public double partitionLoad(PartitionSlot p, Map<String, Double> limits) {
        double sum = 0;
        for (ModelSlot m : p.models()) {
            sum += load(m, limits);
        }
        return sum / p.computeShare();
    }

    /** The pressure of {@code placement} as observed. */
    public Pressure current(GpuPlacement placement, Map<String, Double> limits) {
        return predict(placement, limits, placement, limits);
    }

    /**
     * The predicted pressure of {@code after}, scaling each model's observed pressure in
     * {@code before} by the load model described on this class.
     */
    public Pressure predict(GpuPlacement before, Map<String, Double> limitsBefore, GpuPlacement after,
            Map<String, Double> limitsAfter) {
        Map<String, Double> byPartition = new TreeMap<>();
        double gpu = 0;
        String worst = null;
        for (PartitionSlot p : after.partitions()) {
            double partition = 0;
            double loadAfter = partitionLoad(p, limitsAfter);
            for (ModelSlot m : p.models()) {
                double pi = predictModel(before, limitsBefore, m, loadAfter);
                if (pi > partition) {
                    partition = pi;
                }
                if (worst == null || pi > gpu) {
                    gpu = pi;
                    worst = m.model();
                }
            }
            byPartition.put(p.partitionId(), partition);
        }
        return new Pressure(gpu, worst, byPartition);
    }

    private double predictModel(GpuPlacement before, Map<String, Double> limitsBefore, ModelSlot after, double loadAfter) {
        double slo = sloPressure(after.model());
        Optional<PartitionSlot> was = before.partitionOf(after.model());
        Optional<ModelSlot> wasSlot = before.model(after.model());
        if (was.isPresent()) {
            double loadBefore = partitionLoad(was.get(), limitsBefore);
            if (loadBefore > 0) {
                slo *= loadAfter / loadBefore;
            }
        }
        double kv = kvPressure(after);
        double kvBefore = wasSlot.map(this::kvPressure).orElse(kv);
        if (kvBefore >= settings.kvStarved() && kvBefore > 0) {
            // Short of KV cache, requests queue for blocks: latency tracks the KV shortage too.
            slo *= kv / kvBefore;
        }
        return Math.max(slo, kv);
    }

    /**
     * Pairs that break the anti-affinity rule: a HIGH-priority model sharing a partition with a
     * bursty one. Bursts are what hurt a neighbour's tail, and a HIGH model's tail is what is
     * protected first.
     */
    public int antiAffinityViolations(GpuPlacement placement) {
        int n = 0;
        for (PartitionSlot p : placement.partitions()) {
            for (ModelSlot high : p.models()) {
                if (priority(high) != Priority.HIGH) {
                    continue;
                }
                for (ModelSlot other : p.models()) {
                    if (!other.model().equals(high.model()) && isBursty(other.model())) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
