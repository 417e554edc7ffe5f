package dev.aimnext.operators.qos.sim.internal;

import java.util.SplittableRandom;

/**
 * The draws the simulator needs from one seeded stream. Gaussians use the polar method here rather
 * than the JDK's default, whose algorithm is not specified, so a seed gives the same run on any JDK.
 */
public final class SimRandom {

    private final SplittableRandom random;
    private boolean hasSpare;
    private double spare;

    public SimRandom(SplittableRandom random) {
        this.random = random;
    }

    /** Uniform in [0, 1). */
    public double uniform() {
        return random.nextDouble();
    }

    /** Exponential with mean {@code 1 / rate}. */
    public double exponential(double rate) {
        return -Math.log(1 - random.nextDouble()) / rate;
    }

    /** Standard normal. */
    public double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double scale = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * scale;
        hasSpare = true;
        return u * scale;
    }
}
