package dev.aimnext.operators.qos.window;

/**
 * The windows a QoS job emits, each as {@code QosWindow} records with this kind's {@link #label}.
 * Tumbling and sliding windows carry quantiles; the burn windows carry counts, rate, attainment and
 * the error-budget burn rate of the multiwindow alerting style, with NaN quantiles (keeping an
 * hour of sketches per key would cost far more state than the alert needs).
 */
public enum QosWindowKind {
    TUMBLING_10S("tumbling-10s", 10_000),
    SLIDING_1M("sliding-1m", 60_000),
    BURN_5M("burn-5m", 300_000),
    BURN_1H("burn-1h", 3_600_000);

    /** Every window is a whole number of these 10 s panes, and every window ends on a pane boundary. */
    public static final long PANE_MS = 10_000;

    private final String label;
    private final long sizeMs;

    QosWindowKind(String label, long sizeMs) {
        this.label = label;
        this.sizeMs = sizeMs;
    }

    public String label() {
        return label;
    }

    public long sizeMs() {
        return sizeMs;
    }

    public int panes() {
        return (int) (sizeMs / PANE_MS);
    }
}
