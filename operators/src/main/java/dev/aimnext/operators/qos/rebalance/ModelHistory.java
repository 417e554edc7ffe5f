package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.schemas.event.QosWindow;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What the rebalancer remembers about one model: its latest QoS window, the per-window rates of the
 * last few windows (for burstiness) and its latest KV use. A Flink POJO (public fields, no-arg
 * constructor) so the operator can keep it in {@code MapState} and it survives a restart.
 */
public class ModelHistory implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The model name. */
    public String model;
    /** End of the latest window seen, event time; {@link Long#MIN_VALUE} before the first. */
    public long lastWindowEndMs = Long.MIN_VALUE;
    public long requestCount;
    public double ratePerSec;
    public double ttftP99Ms;
    public double tpotP99Ms;
    public double e2eP99Ms;
    /** Median end-to-end latency: with the rate, Little's law gives the requests in flight. */
    public double e2eP50Ms;
    /** Per-window request rates, oldest first, at most the configured history length; 0 for a missing window. */
    public double[] rates = new double[0];
    /** Consecutive windows, up to the latest, whose SLO pressure was over the trigger. */
    public int windowsOver;
    /** KV-cache bytes in use at the latest GPU sample; -1 when no sample named this model. */
    public long kvUsedBytes = -1;

    public ModelHistory() {}

    public ModelHistory(String model) {
        this.model = model;
    }

    /**
     * Takes in one window. A window that ends no later than the latest one seen is a duplicate or
     * late and is ignored, so at-least-once delivery does not skew the rate history.
     *
     * @param sloPressure the window's SLO pressure, see {@link PressureModel#sloPressure}
     * @return whether the window was new
     */
    public boolean observe(QosWindow w, double sloPressure, double trigger, int historyWindows) {
        if (w.getWindowEndMs() <= lastWindowEndMs) {
            return false;
        }
        skipTo(w.getWindowStartMs(), w.getWindowEndMs() - w.getWindowStartMs(), historyWindows);
        lastWindowEndMs = w.getWindowEndMs();
        requestCount = w.getRequestCount();
        ratePerSec = w.getRatePerSec();
        // Quantiles are NaN when no request succeeded in the window: no latency evidence, not zero
        // latency, so the p99s read 0 (no pressure) and the median keeps its last value.
        ttftP99Ms = finite(w.getTtftMs().getP99(), 0);
        tpotP99Ms = finite(w.getTpotMs().getP99(), 0);
        e2eP99Ms = finite(w.getE2eMs().getP99(), 0);
        e2eP50Ms = finite(w.getE2eMs().getP50(), e2eP50Ms);
        windowsOver = sloPressure > trigger ? windowsOver + 1 : 0;
        append(w.getRatePerSec(), historyWindows);
        return true;
    }

    /**
     * Records that the model had no window ending after its latest one up to {@code endMs}: a QoS
     * job emits no window for a key without requests, so a missing tumbling window is a window with
     * rate 0. Without these zeros a model that idles between bursts would look steady, because only
     * its busy windows would be in the history. Its latencies read 0 (no evidence) from then on, so a
     * model that went quiet does not keep its last pressure forever.
     *
     * @param windowMs the window length
     */
    public void skipTo(long endMs, long windowMs, int historyWindows) {
        if (lastWindowEndMs == Long.MIN_VALUE || windowMs <= 0 || endMs < lastWindowEndMs + windowMs) {
            return;
        }
        long missed = (endMs - lastWindowEndMs) / windowMs;
        for (long i = 0; i < Math.min(missed, historyWindows); i++) {
            append(0, historyWindows);
        }
        lastWindowEndMs += missed * windowMs;
        requestCount = 0;
        ratePerSec = 0;
        ttftP99Ms = 0;
        tpotP99Ms = 0;
        e2eP99Ms = 0;
        windowsOver = 0;
    }

    private void append(double rate, int historyWindows) {
        int keep = Math.min(rates.length, historyWindows - 1);
        double[] next = new double[keep + 1];
        System.arraycopy(rates, rates.length - keep, next, 0, keep);
        next[keep] = rate;
        rates = next;
    }

    private static double finite(double v, double fallback) {
        return Double.isFinite(v) ? v : fallback;
    }

    public double meanRate() {
        return rates.length == 0 ? 0 : Arrays.stream(rates).average().orElse(0);
    }

    public double peakRate() {
        return Arrays.stream(rates).max().orElse(0);
    }

    /** Coefficient of variation (population standard deviation ÷ mean) of the per-window rates. */
    public double rateCv() {
        double mean = meanRate();
        if (rates.length < 2 || mean <= 0) {
            return 0;
        }
        double var = 0;
        for (double r : rates) {
            var += (r - mean) * (r - mean);
        }
        return Math.sqrt(var / rates.length) / mean;
    }

    /** Requests in flight on average (Little's law: mean rate × median e2e latency). */
    public double meanInFlight() {
        return meanRate() * e2eP50Ms / 1000.0;
    }

    public double peakToMean() {
        double mean = meanRate();
        return mean <= 0 ? 0 : peakRate() / mean;
    }

    /**
     * Bursty: enough history, and rates that vary by more than {@code cv} or peak above
     * {@code peakToMean} × their mean. Both, because a single spike barely moves the CV of a long
     * history while a steady on/off pattern may never reach a high peak-to-mean.
     */
    public boolean isBursty(RebalanceSettings s) {
        return rates.length >= s.minHistoryWindows() && (rateCv() >= s.burstyCv() || peakToMean() >= s.burstyPeakToMean());
    }
}
