package dev.aimnext.operators.qos.telemetry.prometheus;

import java.util.Arrays;

/**
 * Observations per histogram bucket, not cumulative: the increase between two scrapes, or
 * everything since the exporter started. The last count is the overflow bucket, above the highest
 * finite bound.
 *
 * <p><b>What a histogram does not say.</b> It keeps how many observations fell into each bucket,
 * never the observations themselves. {@link #representativeValues(int)} therefore gives values that
 * reproduce the bucket counts exactly but are placed inside each bucket by assumption: spread
 * evenly between its bounds, as Prometheus's {@code histogram_quantile} assumes. Any quantile of the
 * result is right to the resolution of the buckets, and no finer.
 */
public final class BucketCounts {

    private final double[] upperBounds;
    private final double[] counts;
    private final double sum;
    private final double count;

    /**
     * @param upperBounds the finite bucket bounds, ascending
     * @param counts observations per bucket, one more than there are bounds (the last is above them)
     * @param sum the sum of the observations; NaN when unknown
     */
    public BucketCounts(double[] upperBounds, double[] counts, double sum) {
        if (counts.length != upperBounds.length + 1) {
            throw new IllegalArgumentException("need one count per bound plus the overflow bucket");
        }
        double total = 0;
        for (double c : counts) {
            if (!(c >= 0) || Double.isInfinite(c)) {
                throw new IllegalArgumentException("bucket counts must be finite and not negative: "
                        + Arrays.toString(counts));
            }
            total += c;
        }
        for (int i = 1; i < upperBounds.length; i++) {
            if (!(upperBounds[i] > upperBounds[i - 1])) {
                throw new IllegalArgumentException("bounds must ascend: " + Arrays.toString(upperBounds));
            }
        }
        this.upperBounds = upperBounds.clone();
        this.counts = counts.clone();
        this.sum = sum;
        this.count = total;
    }

    public double[] upperBounds() {
        return upperBounds.clone();
    }

    /** Observations per bucket; the last entry is above the highest bound. */
    public double[] counts() {
        return counts.clone();
    }

    public double count() {
        return count;
    }

    /** The sum of the observations, NaN when the exporter did not give it. */
    public double sum() {
        return sum;
    }

    public boolean hasSameBucketsAs(BucketCounts other) {
        return Arrays.equals(upperBounds, other.upperBounds);
    }

    /**
     * Both sets of observations together, e.g. the same histogram from two engines of one model.
     *
     * @throws IllegalArgumentException if the buckets differ
     */
    public BucketCounts plus(BucketCounts other) {
        if (!hasSameBucketsAs(other)) {
            throw new IllegalArgumentException("cannot add histograms with different buckets: "
                    + Arrays.toString(upperBounds) + " and " + Arrays.toString(other.upperBounds));
        }
        double[] total = counts.clone();
        for (int i = 0; i < total.length; i++) {
            total[i] += other.counts[i];
        }
        return new BucketCounts(upperBounds, total, sum + other.sum);
    }

    /**
     * The estimated value of quantile {@code q}: linear inside its bucket, like Prometheus's
     * {@code histogram_quantile}, except above the highest bound (see {@link #representativeValues}).
     *
     * @throws IllegalStateException if there are no observations
     */
    public double quantile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be within [0, 1], was " + q);
        }
        requireObservations();
        return valueAtRank(Math.max(q * count, Math.ulp(count)));
    }

    /**
     * {@code n} values whose distribution matches these buckets: value {@code i} is the estimate at
     * quantile {@code (i + 0.5) / n}, in ascending order.
     *
     * <p>When {@code n} equals the count, each bucket receives exactly as many values as it counted,
     * spaced evenly inside it (bucket {@code (a, b]} with {@code k} observations gets
     * {@code a + (b - a)(m + 0.5)/k} for {@code m < k}), so their mean per bucket is its midpoint.
     * The lowest bucket starts at 0 when its bound is positive. Observations above the highest bound
     * have no upper edge; they get one shared value chosen so that all values together add up to
     * the histogram's sum, and never less than the highest bound. Without a sum they get the
     * highest bound, as {@code histogram_quantile} returns.
     *
     * @throws IllegalStateException if {@code n > 0} and there are no observations
     */
    public double[] representativeValues(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        double[] values = new double[n];
        if (n == 0) {
            return values;
        }
        requireObservations();
        for (int i = 0; i < n; i++) {
            values[i] = valueAtRank((i + 0.5) / n * count);
        }
        return values;
    }

    private void requireObservations() {
        if (count <= 0) {
            throw new IllegalStateException("no observations to estimate from");
        }
    }

    /** The value at a rank in (0, count], interpolated inside its bucket. */
    private double valueAtRank(double rank) {
        double below = 0;
        for (int i = 0; i < upperBounds.length; i++) {
            double inBucket = counts[i];
            if (inBucket > 0 && rank <= below + inBucket) {
                double lower = lowerBound(i);
                return lower + (upperBounds[i] - lower) * (rank - below) / inBucket;
            }
            below += inBucket;
        }
        return overflowValue();
    }

    private double lowerBound(int bucket) {
        if (bucket > 0) {
            return upperBounds[bucket - 1];
        }
        // A first bucket with a bound at or below zero has no known lower edge: use the bound.
        return upperBounds[0] > 0 ? 0 : upperBounds[0];
    }

    /** The one value given to every observation above the highest bound; see representativeValues. */
    private double overflowValue() {
        double above = counts[counts.length - 1];
        if (upperBounds.length == 0) {
            return Double.isFinite(sum) ? sum / count : 0;
        }
        double highest = upperBounds[upperBounds.length - 1];
        if (above == 0 || !Double.isFinite(sum)) {
            return highest;
        }
        double inFiniteBuckets = 0;
        for (int i = 0; i < upperBounds.length; i++) {
            inFiniteBuckets += counts[i] * (lowerBound(i) + upperBounds[i]) / 2;
        }
        return Math.max(highest, (sum - inFiniteBuckets) / above);
    }

    @Override
    public String toString() {
        return "BucketCounts{le=" + Arrays.toString(upperBounds) + ", counts=" + Arrays.toString(counts)
                + ", sum=" + sum + "}";
    }
}
