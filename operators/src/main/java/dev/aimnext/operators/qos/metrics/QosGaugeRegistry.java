package dev.aimnext.operators.qos.metrics;

import dev.aimnext.operators.qos.window.QosReport;
import dev.aimnext.operators.qos.window.QosWindowKind;
import dev.aimnext.schemas.event.LatencyQuantiles;
import dev.aimnext.schemas.event.QosWindow;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

import java.util.HashMap;
import java.util.Map;

/**
 * Publishes QoS windows as gauges under {@code aim_qos}, labelled only by {@code model}, {@code
 * partition} and, where a family needs it, {@code quantile} or {@code objective}:
 *
 * <ul>
 *   <li>from {@code sliding-1m}: {@code ttft_ms}, {@code tpot_ms}, {@code e2e_ms} (quantile p50, p90,
 *       p95, p99), {@code request_rate}, {@code token_rate}, {@code slo_attainment} (objective ttft,
 *       tpot, e2e, all; NaN when the model has no such objective), {@code burn_rate_1m} and {@code
 *       memory_headroom_bytes} (NaN while unknown);
 *   <li>from {@code burn-5m} and {@code burn-1h}: {@code burn_rate_5m}, {@code burn_rate_1h}.
 * </ul>
 *
 * Flink cannot unregister a gauge while the job runs, so every (model, partition) pair would stay a
 * series forever. The registry therefore admits at most {@code maxSeries} pairs, first come first
 * served; windows of any further pair are counted in {@code aim_qos_series_overflow} instead. Not
 * thread-safe: one writer feeds it, reporters only read the gauges.
 */
public final class QosGaugeRegistry {

    static final String[] QUANTILES = {"p50", "p90", "p95", "p99"};
    static final String[] OBJECTIVES = {"ttft", "tpot", "e2e", "all"};

    private final MetricGroup root;
    private final int maxSeries;
    private final Map<String, Map<String, Series>> series = new HashMap<>();
    private final Counter overflow;
    private int admitted;

    public QosGaugeRegistry(MetricGroup metrics, int maxSeries) {
        if (maxSeries < 1) {
            throw new IllegalArgumentException("at least one QoS metric series is needed, got " + maxSeries);
        }
        this.root = metrics.addGroup("aim_qos");
        this.maxSeries = maxSeries;
        this.overflow = root.counter("series_overflow");
        root.gauge("series", (Gauge<Integer>) () -> admitted);
    }

    /** Updates the gauges of the report's series; false when the series cap kept it out. */
    public boolean publish(QosReport report) {
        QosWindow w = report.window;
        Series s = series.computeIfAbsent(w.getModel(), m -> new HashMap<>()).get(w.getPartitionId());
        if (s == null) {
            if (admitted >= maxSeries) {
                overflow.inc();
                return false;
            }
            s = new Series(root.addGroup("model", w.getModel()).addGroup("partition", w.getPartitionId()));
            series.get(w.getModel()).put(w.getPartitionId(), s);
            admitted++;
        }
        s.update(report);
        return true;
    }

    int admitted() {
        return admitted;
    }

    /**
     * The gauges of one (model, partition). Reporters read from their own thread; on a 64-bit JVM a
     * double is written whole, and a reader that sees the previous window's value for one scrape is
     * harmless, so no locking.
     */
    private static final class Series {
        private final double[][] quantiles = new double[3][4];
        private final double[] attainment = new double[OBJECTIVES.length];
        private double requestRate = Double.NaN;
        private double tokenRate = Double.NaN;
        private double burn1m = Double.NaN;
        private double burn5m = Double.NaN;
        private double burn1h = Double.NaN;
        private double headroom = Double.NaN;

        Series(MetricGroup group) {
            for (double[] row : quantiles) {
                java.util.Arrays.fill(row, Double.NaN);
            }
            java.util.Arrays.fill(attainment, Double.NaN);
            String[] measures = {"ttft_ms", "tpot_ms", "e2e_ms"};
            for (int m = 0; m < measures.length; m++) {
                for (int q = 0; q < QUANTILES.length; q++) {
                    int mi = m;
                    int qi = q;
                    group.addGroup("quantile", QUANTILES[q]).gauge(measures[m], (Gauge<Double>) () -> quantiles[mi][qi]);
                }
            }
            for (int o = 0; o < OBJECTIVES.length; o++) {
                int oi = o;
                group.addGroup("objective", OBJECTIVES[o]).gauge("slo_attainment", (Gauge<Double>) () -> attainment[oi]);
            }
            group.gauge("request_rate", (Gauge<Double>) () -> requestRate);
            group.gauge("token_rate", (Gauge<Double>) () -> tokenRate);
            group.gauge("burn_rate_1m", (Gauge<Double>) () -> burn1m);
            group.gauge("burn_rate_5m", (Gauge<Double>) () -> burn5m);
            group.gauge("burn_rate_1h", (Gauge<Double>) () -> burn1h);
            group.gauge("memory_headroom_bytes", (Gauge<Double>) () -> headroom);
        }

        void update(QosReport report) {
            QosWindow w = report.window;
            if (QosWindowKind.BURN_5M.label().equals(w.getWindowKind())) {
                burn5m = w.getErrorBudgetBurnRate();
            } else if (QosWindowKind.BURN_1H.label().equals(w.getWindowKind())) {
                burn1h = w.getErrorBudgetBurnRate();
            } else if (QosWindowKind.SLIDING_1M.label().equals(w.getWindowKind())) {
                set(quantiles[0], w.getTtftMs());
                set(quantiles[1], w.getTpotMs());
                set(quantiles[2], w.getE2eMs());
                for (int o = 0; o < OBJECTIVES.length; o++) {
                    Double value = w.getSloAttainment().get(OBJECTIVES[o]);
                    attainment[o] = value == null ? Double.NaN : value;
                }
                requestRate = w.getRatePerSec();
                tokenRate = report.tokensPerSec;
                burn1m = w.getErrorBudgetBurnRate();
                headroom = w.getMemoryHeadroomBytes() == null ? Double.NaN : w.getMemoryHeadroomBytes();
            }
        }

        private static void set(double[] row, LatencyQuantiles q) {
            row[0] = q.getP50();
            row[1] = q.getP90();
            row[2] = q.getP95();
            row[3] = q.getP99();
        }
    }
}
