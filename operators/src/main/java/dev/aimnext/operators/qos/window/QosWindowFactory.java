package dev.aimnext.operators.qos.window;

import dev.aimnext.operators.qos.sketch.QosAccumulator;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.LatencyQuantiles;
import dev.aimnext.schemas.event.QosWindow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns window contents into {@link QosWindow} events.
 *
 * <p>{@code sloAttainment} holds one entry per objective the model declares ({@code ttft}, {@code
 * tpot}, {@code e2e}: the fraction of all requests within it, failed requests counting as misses)
 * and always {@code all}: the fraction of requests that succeeded within every objective. The burn
 * rate is computed from {@code all}: {@code (1 - all) / (1 - 0.99)}, so 1.0 spends the error budget
 * exactly at the rate the p99 objectives allow and 14.4 over an hour is the classic page threshold.
 */
public final class QosWindowFactory {

    private static final LatencyQuantiles NO_QUANTILES =
            new LatencyQuantiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    private QosWindowFactory() {}

    /** A tumbling or sliding window, with quantiles from the sketches. */
    public static QosReport fromAccumulator(String model, String partitionId, QosWindowKind kind, long endMs,
            QosAccumulator acc, ModelSlo slo) {
        return build(model, partitionId, kind, endMs, SloCounts.of(acc), slo,
                acc.ttftQuantiles(), acc.tpotQuantiles(), acc.e2eQuantiles());
    }

    /** A burn window: counts, rate, attainment and burn rate; NaN quantiles. */
    public static QosReport fromCounts(String model, String partitionId, QosWindowKind kind, long endMs,
            SloCounts counts, ModelSlo slo) {
        return build(model, partitionId, kind, endMs, counts, slo, NO_QUANTILES, NO_QUANTILES, NO_QUANTILES);
    }

    /** {@code (1 - attainment) / (1 - 0.99)}; 0 for an empty window. */
    public static double burnRate(long requests, long good) {
        if (requests == 0) {
            return 0;
        }
        return (1.0 - good / (double) requests) / (1.0 - ModelSlo.TARGET_ATTAINMENT);
    }

    private static QosReport build(String model, String partitionId, QosWindowKind kind, long endMs,
            SloCounts c, ModelSlo slo, LatencyQuantiles ttft, LatencyQuantiles tpot, LatencyQuantiles e2e) {
        double seconds = kind.sizeMs() / 1000.0;
        Map<String, Double> attainment = new LinkedHashMap<>();
        if (slo != null && slo.ttftP99Ms() > 0) {
            attainment.put("ttft", fraction(c.ttftMet(), c.requests()));
        }
        if (slo != null && slo.tpotP99Ms() > 0) {
            attainment.put("tpot", fraction(c.tpotMet(), c.requests()));
        }
        if (slo != null && slo.e2eP99Ms() > 0) {
            attainment.put("e2e", fraction(c.e2eMet(), c.requests()));
        }
        attainment.put("all", fraction(c.allMet(), c.requests()));
        QosWindow window = QosWindow.newBuilder()
                .setModel(model)
                .setPartitionId(partitionId)
                .setWindowKind(kind.label())
                .setWindowStartMs(endMs - kind.sizeMs())
                .setWindowEndMs(endMs)
                .setRequestCount(c.requests())
                .setErrorCount(c.errors())
                .setRatePerSec(c.requests() / seconds)
                .setTtftMs(ttft)
                .setTpotMs(tpot)
                .setE2eMs(e2e)
                .setSloAttainment(attainment)
                .setErrorBudgetBurnRate(burnRate(c.requests(), c.allMet()))
                .setMemoryHeadroomBytes(null)
                .build();
        return new QosReport(window, c.tokens() / seconds);
    }

    private static double fraction(long part, long whole) {
        return whole == 0 ? 1.0 : part / (double) whole;
    }
}
