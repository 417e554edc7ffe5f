package dev.aimnext.operators.qos.sketch;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;

import java.util.function.Supplier;

/**
 * How QoS latency sketches are made: DDSketch with a relative-accuracy guarantee (a reported
 * quantile lies within {@code relativeAccuracy} of the true value at that rank), merged exactly by
 * adding bins, so a 1-minute window is the sum of its 10-second panes.
 */
public final class LatencySketches {

    /** 0.5%: the target, leaving room for a 1% check against exact quantiles. */
    public static final double DEFAULT_RELATIVE_ACCURACY = 0.005;

    /**
     * Bounds memory per sketch. At 0.5% accuracy 2048 bins span a ratio of e^20 between the smallest
     * and the largest latency before the lowest bins collapse, far beyond microseconds to hours.
     */
    static final int MAX_BINS = 2048;

    static final Supplier<Store> STORE = () -> new CollapsingLowestDenseStore(MAX_BINS);

    /** The quantiles every QoS window reports. */
    static final double[] QUANTILES = {0.50, 0.90, 0.95, 0.99};

    private LatencySketches() {}

    public static DDSketch create(double relativeAccuracy) {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
            throw new IllegalArgumentException("relative accuracy must be within (0, 1), got " + relativeAccuracy);
        }
        return DDSketches.collapsingLowestDense(relativeAccuracy, MAX_BINS);
    }
}
