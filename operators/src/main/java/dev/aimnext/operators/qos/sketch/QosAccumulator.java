package dev.aimnext.operators.qos.sketch;

import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.LatencyQuantiles;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import com.datadoghq.sketch.ddsketch.DDSketch;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything a QoS window needs from its requests, in constant space: counts, token sums, exact
 * per-objective within-SLO counts, and one DDSketch per latency measure (TTFT, TPOT, e2e). Raw
 * latencies are never kept. Accumulators of the same relative accuracy {@link #merge merge} exactly,
 * which is what lets 10-second panes roll up into longer windows.
 *
 * <p>Only successful requests feed the latency sketches (a rejected request has no meaningful
 * TTFT), and TPOT only when at least two tokens were generated. A failed request counts as missing
 * every objective. Flink (de)serializes it with {@link QosAccumulatorSerializer}.
 */
@TypeInfo(QosAccumulatorTypeInfo.Factory.class)
public final class QosAccumulator {

    long requests;
    long errors;
    long promptTokens;
    long completionTokens;
    long ttftMet;
    long tpotMet;
    long e2eMet;
    /** Successful and within every objective: the requests that do not burn error budget. */
    long allMet;
    final DDSketch ttft;
    final DDSketch tpot;
    final DDSketch e2e;

    public QosAccumulator(double relativeAccuracy) {
        this(LatencySketches.create(relativeAccuracy), LatencySketches.create(relativeAccuracy),
                LatencySketches.create(relativeAccuracy));
    }

    QosAccumulator(DDSketch ttft, DDSketch tpot, DDSketch e2e) {
        this.ttft = ttft;
        this.tpot = tpot;
        this.e2e = e2e;
    }

    /** @param slo the model's objectives, or null when it has none */
    public void add(RequestTelemetry t, ModelSlo slo) {
        requests++;
        promptTokens += t.getPromptTokens();
        completionTokens += t.getCompletionTokens();
        if (t.getStatus() != RequestStatus.OK) {
            errors++;
            return;
        }
        boolean hasTpot = t.getCompletionTokens() > 1;
        ttft.accept(t.getTtftMs());
        e2e.accept(t.getE2eMs());
        if (hasTpot) {
            tpot.accept(t.getTpotMs());
        }
        boolean ttftOk = slo == null || within(t.getTtftMs(), slo.ttftP99Ms());
        // One token has no time per output token, so it cannot miss that objective.
        boolean tpotOk = slo == null || !hasTpot || within(t.getTpotMs(), slo.tpotP99Ms());
        boolean e2eOk = slo == null || within(t.getE2eMs(), slo.e2eP99Ms());
        ttftMet += ttftOk ? 1 : 0;
        tpotMet += tpotOk ? 1 : 0;
        e2eMet += e2eOk ? 1 : 0;
        allMet += ttftOk && tpotOk && e2eOk ? 1 : 0;
    }

    private static boolean within(double value, double objective) {
        return objective == 0 || value <= objective;
    }

    /** Adds {@code other} into this one; both must use the same relative accuracy. */
    public QosAccumulator merge(QosAccumulator other) {
        requests += other.requests;
        errors += other.errors;
        promptTokens += other.promptTokens;
        completionTokens += other.completionTokens;
        ttftMet += other.ttftMet;
        tpotMet += other.tpotMet;
        e2eMet += other.e2eMet;
        allMet += other.allMet;
        ttft.mergeWith(other.ttft);
        tpot.mergeWith(other.tpot);
        e2e.mergeWith(other.e2e);
        return this;
    }

    public QosAccumulator copy() {
        QosAccumulator copy = new QosAccumulator(ttft.copy(), tpot.copy(), e2e.copy());
        copy.requests = requests;
        copy.errors = errors;
        copy.promptTokens = promptTokens;
        copy.completionTokens = completionTokens;
        copy.ttftMet = ttftMet;
        copy.tpotMet = tpotMet;
        copy.e2eMet = e2eMet;
        copy.allMet = allMet;
        return copy;
    }

    public long requests() {
        return requests;
    }

    public long errors() {
        return errors;
    }

    public long tokens() {
        return promptTokens + completionTokens;
    }

    public long ttftMet() {
        return ttftMet;
    }

    public long tpotMet() {
        return tpotMet;
    }

    public long e2eMet() {
        return e2eMet;
    }

    public long allMet() {
        return allMet;
    }

    public LatencyQuantiles ttftQuantiles() {
        return quantiles(ttft);
    }

    public LatencyQuantiles tpotQuantiles() {
        return quantiles(tpot);
    }

    public LatencyQuantiles e2eQuantiles() {
        return quantiles(e2e);
    }

    /** p50, p90, p95, p99; NaN when no request fed the sketch (say, all failed). */
    static LatencyQuantiles quantiles(DDSketch sketch) {
        if (sketch.isEmpty()) {
            return new LatencyQuantiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] q = sketch.getValuesAtQuantiles(LatencySketches.QUANTILES);
        return new LatencyQuantiles(q[0], q[1], q[2], q[3]);
    }
}
