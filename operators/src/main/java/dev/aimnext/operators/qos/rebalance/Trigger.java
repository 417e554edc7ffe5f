package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.slo.ModelSlo;

import java.util.Locale;

/**
 * Why a plan was made: the metric, what it measured and the threshold it crossed. Its
 * {@link #text()} goes into {@code PartitionPlan.trigger}, e.g.
 * {@code slo-burn:model=chat-8b ttft_p99_ms=812.0>500.0}, so an operator reading the plan topic
 * sees the cause without the QoS windows.
 *
 * @param kind what fired: {@code slo-burn}, {@code kv-pressure} or {@code bursty-neighbour}
 * @param subject the model, and the neighbour where there is one, as {@code key=value} pairs
 * @param measure the measured quantity, e.g. {@code ttft_p99_ms}
 * @param value what it measured
 * @param threshold the limit it crossed
 */
public record Trigger(String kind, String subject, String measure, double value, double threshold) {

    public static final String SLO_BURN = "slo-burn";
    public static final String KV_PRESSURE = "kv-pressure";
    public static final String BURSTY_NEIGHBOUR = "bursty-neighbour";

    /** The p99 objective the model misses by the largest ratio. */
    public static Trigger sloBurn(ModelSlo slo, ModelHistory h) {
        String measure = "ttft_p99_ms";
        double value = h.ttftP99Ms;
        double objective = slo.ttftP99Ms();
        double ratio = objective > 0 ? value / objective : 0;
        if (slo.tpotP99Ms() > 0 && h.tpotP99Ms / slo.tpotP99Ms() > ratio) {
            measure = "tpot_p99_ms";
            value = h.tpotP99Ms;
            objective = slo.tpotP99Ms();
            ratio = value / objective;
        }
        if (slo.e2eP99Ms() > 0 && h.e2eP99Ms / slo.e2eP99Ms() > ratio) {
            measure = "e2e_p99_ms";
            value = h.e2eP99Ms;
            objective = slo.e2eP99Ms();
        }
        return new Trigger(SLO_BURN, "model=" + slo.model(), measure, value, objective);
    }

    public static Trigger kvPressure(String model, double useRatio, double starved) {
        return new Trigger(KV_PRESSURE, "model=" + model, "kv_use_ratio", useRatio, starved);
    }

    /** A HIGH model shares a partition with a bursty one; the measure is the neighbour's rate CV. */
    public static Trigger burstyNeighbour(String high, String bursty, double cv, double threshold) {
        return new Trigger(BURSTY_NEIGHBOUR, "model=" + high + " neighbour=" + bursty, "rate_cv", cv, threshold);
    }

    /** {@code kind:subject measure=value>threshold}; one decimal from 100 up, two below. */
    public String text() {
        return kind + ":" + subject + " " + measure + "=" + number(value) + ">" + number(threshold);
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.2f", v);
    }
}
