package dev.aimnext.operators.qos.telemetry.prometheus;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CumulativeHistogramTest {

    private static final double[] BOUNDS = {0.1, 0.5, 1.0};

    private static CumulativeHistogram reading(double[] cumulative, double count, double sum) {
        return new CumulativeHistogram("h", Map.of("model_name", "m"), BOUNDS, cumulative, count, sum);
    }

    @Test
    void theIncreaseIsCountedPerBucket() {
        CumulativeHistogram before = reading(new double[] {2, 5, 5}, 6, 4.0);
        CumulativeHistogram after = reading(new double[] {3, 9, 10}, 12, 11.5);

        BucketCounts increase = after.increaseSince(before);

        assertThat(after.wentBackSince(before)).isFalse();
        assertThat(increase.counts()).containsExactly(1, 3, 1, 1);
        assertThat(increase.count()).isEqualTo(6);
        assertThat(increase.sum()).isEqualTo(7.5);
        assertThat(after.sinceStart().counts()).containsExactly(3, 6, 1, 2);
    }

    @Test
    void aRestartShowsAsCountsOrSumGoingBack() {
        CumulativeHistogram before = reading(new double[] {2, 5, 5}, 6, 4.0);

        assertThat(reading(new double[] {1, 1, 1}, 1, 0.05).wentBackSince(before)).as("fewer observations").isTrue();
        assertThat(reading(new double[] {2, 5, 5}, 6, 3.0).wentBackSince(before)).as("smaller sum").isTrue();
        assertThat(new CumulativeHistogram("h", Map.of(), new double[] {0.1, 1.0}, new double[] {2, 5}, 6, 4.0)
                .wentBackSince(before)).as("other buckets").isTrue();
        assertThatThrownBy(() -> reading(new double[] {1, 1, 1}, 1, 0.05).increaseSince(before))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRestartIsCaughtEvenWhenTheNewProcessAlreadyCountedMore() {
        // Before: 2 fast, 3 medium, 1 overflow. After a restart: 8 fast only. Every cumulative count
        // grew, but the medium bucket's own count fell from 3 to 0.
        CumulativeHistogram before = reading(new double[] {2, 5, 5}, 6, 4.0);
        CumulativeHistogram restarted = reading(new double[] {8, 8, 8}, 8, 4.4);

        assertThat(restarted.wentBackSince(before)).isTrue();
    }
}
