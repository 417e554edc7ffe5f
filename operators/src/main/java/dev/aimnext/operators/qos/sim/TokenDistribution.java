package dev.aimnext.operators.qos.sim;

/**
 * A distribution of token counts (prompt or output length): lognormal with the given median and
 * log-space standard deviation, rounded and clamped to {@code [min, max]}. Request lengths in
 * production chat traces are close to lognormal, heavy on the right.
 *
 * @param median the median count
 * @param sigma the standard deviation of ln(count); 0 gives the median every time
 * @param min the least count drawn, at least 1
 * @param max the largest count drawn
 */
public record TokenDistribution(double median, double sigma, int min, int max) {

    public TokenDistribution {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("token counts need 1 <= min <= max, was min=" + min + " max=" + max);
        }
        if (!(median >= min && median <= max) || !(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("token distribution needs min <= median <= max and a finite sigma >= 0, was median="
                    + median + " sigma=" + sigma);
        }
    }

    /** Always {@code tokens}. */
    public static TokenDistribution fixed(int tokens) {
        return new TokenDistribution(tokens, 0, tokens, tokens);
    }

    /** Lognormal around {@code median}, clamped to {@code [1, max]}. */
    public static TokenDistribution lognormal(double median, double sigma, int max) {
        return new TokenDistribution(median, sigma, 1, max);
    }

    /** The count for a standard-normal draw {@code z}. */
    public int sample(double z) {
        double value = sigma == 0 ? median : median * Math.exp(sigma * z);
        long rounded = Math.round(value);
        return (int) Math.max(min, Math.min(max, rounded));
    }
}
