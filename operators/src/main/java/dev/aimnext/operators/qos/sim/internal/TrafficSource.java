package dev.aimnext.operators.qos.sim.internal;

import dev.aimnext.operators.qos.sim.ArrivalPattern;
import dev.aimnext.operators.qos.sim.ModelWorkload;

/**
 * The requests one model receives: arrival times and token counts, from two streams of their own.
 * Nothing the serving side does draws from them, so runs of one seed under different plans see
 * identical traffic and can be compared request by request.
 */
final class TrafficSource {

    private final ModelWorkload workload;
    private final ArrivalPattern pattern;
    private final SimRandom arrivalRandom;
    private final SimRandom tokenRandom;
    private int nextPrompt;
    private int nextOutput;

    TrafficSource(ModelWorkload workload, SimRandom arrivalRandom, SimRandom tokenRandom) {
        this.workload = workload;
        this.pattern = workload.arrivals();
        this.arrivalRandom = arrivalRandom;
        this.tokenRandom = tokenRandom;
    }

    /** The first arrival after {@code fromMs}, or +∞ for a pattern without arrivals. */
    double nextArrivalAfter(double fromMs) {
        double max = pattern.maxRatePerMs();
        if (max <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        // Thinning (Lewis and Shedler): candidates at the peak rate, each kept with rate(t) / peak.
        double t = fromMs;
        while (true) {
            t += arrivalRandom.exponential(max);
            if (arrivalRandom.uniform() * max < pattern.ratePerMs(t)) {
                return t;
            }
        }
    }

    /** Draws the lengths of the request arriving now; read them with {@link #prompt()} and {@link #output()}. */
    void drawLengths() {
        nextPrompt = workload.promptTokens().sample(tokenRandom.gaussian());
        nextOutput = workload.outputTokens().sample(tokenRandom.gaussian());
    }

    int prompt() {
        return nextPrompt;
    }

    int output() {
        return nextOutput;
    }
}
