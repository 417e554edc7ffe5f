package dev.aimnext.operators.qos.telemetry.prometheus;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BucketCountsTest {

    private static final double[] BOUNDS = {1.0, 2.5, 5.0, 10.0};

    /** How many values fall in each bucket (lower, upper], overflow last. */
    static int[] perBucket(double[] bounds, double[] values) {
        int[] counts = new int[bounds.length + 1];
        for (double v : values) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) {
                i++;
            }
            counts[i]++;
        }
        return counts;
    }

    @Test
    void asManyValuesAsObservationsReproduceEveryBucketSpreadEvenlyInside() {
        BucketCounts counts = new BucketCounts(BOUNDS, new double[] {1, 4, 0, 2, 0}, 12.0);

        double[] values = counts.representativeValues(7);

        assertThat(perBucket(BOUNDS, values)).containsExactly(1, 4, 0, 2, 0);
        assertThat(values).containsExactly(new double[] {0.5, 1.1875, 1.5625, 1.9375, 2.3125, 6.25, 8.75},
                within(1e-9));
    }

    @Test
    void fewerValuesFollowTheQuantilesOfTheBuckets() {
        BucketCounts counts = new BucketCounts(BOUNDS, new double[] {0, 10, 0, 10, 0}, Double.NaN);

        double[] values = counts.representativeValues(4);

        assertThat(perBucket(BOUNDS, values)).containsExactly(0, 2, 0, 2, 0);
        assertThat(counts.quantile(0.5)).isEqualTo(2.5);
        assertThat(counts.quantile(0.75)).isCloseTo(7.5, within(1e-9));
        // Linear inside (1, 2.5], as histogram_quantile interpolates.
        assertThat(counts.quantile(0.25)).isCloseTo(1.75, within(1e-9));
    }

    @Test
    void theLowestBucketStartsAtZero() {
        BucketCounts counts = new BucketCounts(new double[] {0.1, 0.2}, new double[] {2, 0, 0}, 0.1);

        assertThat(counts.representativeValues(2)).containsExactly(new double[] {0.025, 0.075}, within(1e-12));
    }

    @Test
    void valuesAboveTheHighestBoundMakeUpTheSum() {
        // Finite buckets are estimated at their midpoints: 1 x 0.5 + 1 x 7.5 = 8; the sum leaves
        // 92 for the two observations above 10.
        BucketCounts counts = new BucketCounts(BOUNDS, new double[] {1, 0, 0, 1, 2}, 100.0);

        double[] values = counts.representativeValues(4);

        assertThat(values).containsExactly(new double[] {0.5, 7.5, 46.0, 46.0}, within(1e-9));
        assertThat(Arrays.stream(values).sum()).isCloseTo(counts.sum(), within(1e-9));
    }

    @Test
    void valuesAboveTheHighestBoundNeverFallBelowIt() {
        BucketCounts noSum = new BucketCounts(BOUNDS, new double[] {0, 0, 0, 0, 3}, Double.NaN);
        BucketCounts smallSum = new BucketCounts(BOUNDS, new double[] {0, 0, 0, 1, 1}, 9.0);

        assertThat(noSum.representativeValues(2)).containsExactly(10.0, 10.0);
        assertThat(smallSum.representativeValues(2)[1]).isEqualTo(10.0);
    }

    @Test
    void addsUpHistogramsWithTheSameBucketsOnly() {
        BucketCounts a = new BucketCounts(BOUNDS, new double[] {1, 0, 0, 0, 0}, 0.5);
        BucketCounts b = new BucketCounts(BOUNDS, new double[] {0, 2, 0, 0, 1}, 20.0);

        BucketCounts both = a.plus(b);

        assertThat(both.counts()).containsExactly(1, 2, 0, 0, 1);
        assertThat(both.count()).isEqualTo(4);
        assertThat(both.sum()).isEqualTo(20.5);
        assertThatThrownBy(() -> a.plus(new BucketCounts(new double[] {1.0}, new double[] {1, 0}, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different buckets");
    }

    @Test
    void refusesToEstimateFromNothingAndRejectsBadCounts() {
        BucketCounts empty = new BucketCounts(BOUNDS, new double[5], 0);

        assertThat(empty.representativeValues(0)).isEmpty();
        assertThatThrownBy(() -> empty.representativeValues(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new BucketCounts(BOUNDS, new double[] {1, -1, 0, 0, 0}, 0))
                .hasMessageContaining("must be finite and not negative");
        assertThatThrownBy(() -> new BucketCounts(new double[] {2, 1}, new double[3], 0))
                .hasMessageContaining("bounds must ascend");
    }
}
