package dev.aimnext.operators.qos.sim;

/**
 * When requests of one model arrive: a Poisson process whose rate is modulated by a diurnal
 * sinusoid and multiplied during periodic on/off bursts.
 *
 * <p>The rate at simulated time {@code t} (ms) is
 * {@code baseRatePerSec · (1 + diurnalAmplitude · sin(2π·t / diurnalPeriodMs)) · b(t)}, where
 * {@code b(t) = burstMultiplier} during the first {@code burstOnMs} of every {@code burstPeriodMs}
 * cycle (shifted by {@code burstOffsetMs}) and 1 otherwise. Bursts are periodic rather than random
 * so a scenario's overload windows are known in advance and can be documented.
 *
 * @param baseRatePerSec mean requests per second outside bursts, at the diurnal mean
 * @param burstMultiplier rate multiplier during a burst; 1 for no bursts
 * @param burstPeriodMs length of one on/off burst cycle; 0 for no bursts
 * @param burstOnMs how long each burst lasts, at the start of its cycle
 * @param burstOffsetMs when the first cycle starts
 * @param diurnalAmplitude relative amplitude of the sinusoid, in [0, 1); 0 for a flat rate
 * @param diurnalPeriodMs period of the sinusoid; ignored when the amplitude is 0
 */
public record ArrivalPattern(double baseRatePerSec, double burstMultiplier, long burstPeriodMs, long burstOnMs,
        long burstOffsetMs, double diurnalAmplitude, long diurnalPeriodMs) {

    public ArrivalPattern {
        if (!(baseRatePerSec >= 0) || Double.isInfinite(baseRatePerSec)) {
            throw new IllegalArgumentException("arrival rate must be a finite number >= 0, was " + baseRatePerSec);
        }
        if (!(burstMultiplier >= 0) || Double.isInfinite(burstMultiplier)) {
            throw new IllegalArgumentException("burst multiplier must be a finite number >= 0, was " + burstMultiplier);
        }
        if (burstPeriodMs < 0 || burstOnMs < 0 || (burstPeriodMs > 0 && burstOnMs > burstPeriodMs)) {
            throw new IllegalArgumentException("need 0 <= burstOnMs <= burstPeriodMs, was on=" + burstOnMs
                    + " period=" + burstPeriodMs);
        }
        if (!(diurnalAmplitude >= 0 && diurnalAmplitude < 1)) {
            throw new IllegalArgumentException("diurnal amplitude must be in [0, 1), was " + diurnalAmplitude);
        }
        if (diurnalAmplitude > 0 && diurnalPeriodMs <= 0) {
            throw new IllegalArgumentException("a diurnal amplitude needs a period > 0 ms");
        }
    }

    /** A homogeneous Poisson process at {@code ratePerSec}. */
    public static ArrivalPattern poisson(double ratePerSec) {
        return new ArrivalPattern(ratePerSec, 1, 0, 0, 0, 0, 0);
    }

    /** This pattern with on/off bursts: {@code multiplier} × rate for {@code onMs} of every {@code periodMs}. */
    public ArrivalPattern withBursts(double multiplier, long periodMs, long onMs, long offsetMs) {
        return new ArrivalPattern(baseRatePerSec, multiplier, periodMs, onMs, offsetMs, diurnalAmplitude, diurnalPeriodMs);
    }

    /** This pattern with a sinusoidal rate of relative {@code amplitude} and {@code periodMs}. */
    public ArrivalPattern withDiurnal(double amplitude, long periodMs) {
        return new ArrivalPattern(baseRatePerSec, burstMultiplier, burstPeriodMs, burstOnMs, burstOffsetMs, amplitude, periodMs);
    }

    /** Whether {@code tMs} falls inside a burst. */
    public boolean inBurst(double tMs) {
        if (burstPeriodMs <= 0) {
            return false;
        }
        double phase = (tMs - burstOffsetMs) % burstPeriodMs;
        if (phase < 0) {
            phase += burstPeriodMs;
        }
        return phase < burstOnMs;
    }

    /** The instantaneous arrival rate at {@code tMs}, in requests per ms. */
    public double ratePerMs(double tMs) {
        double rate = baseRatePerSec / 1000.0;
        if (diurnalAmplitude > 0) {
            rate *= 1 + diurnalAmplitude * Math.sin(2 * Math.PI * tMs / diurnalPeriodMs);
        }
        return inBurst(tMs) ? rate * burstMultiplier : rate;
    }

    /** An upper bound of {@link #ratePerMs} over all times, for thinning. */
    public double maxRatePerMs() {
        return baseRatePerSec / 1000.0 * (1 + diurnalAmplitude) * Math.max(1, burstPeriodMs > 0 ? burstMultiplier : 1);
    }

    /**
     * The expected number of arrivals in {@code [fromMs, toMs)}: the integral of the rate, summed in
     * 1 ms steps (midpoint rule), which is exact for the bursts and within 1e-6 for the sinusoid at
     * any period of a second or more.
     */
    public double expectedArrivals(long fromMs, long toMs) {
        double sum = 0;
        for (long t = fromMs; t < toMs; t++) {
            sum += ratePerMs(t + 0.5);
        }
        return sum;
    }
}
