package dev.aimnext.operators.guardrails.train;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogisticRegressionTest {

    /** The defaults suit tens of thousands of rows; a few hundred need more, smaller steps. */
    private static final LogisticRegression.Settings SMALL_DATA = new LogisticRegression.Settings(7, 200, 32, 0.01, 1e-4);

    /** Two Gaussian blobs in 8 dimensions, separable along dimension 0, with an offset and scale. */
    private static float[][] blobs(boolean[] y, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[y.length][8];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 4 == 0; // imbalanced: one in four positive
            for (int d = 0; d < 8; d++) {
                x[i][d] = (float) (r.nextGaussian() * 0.3 + 5.0);
            }
            x[i][0] += y[i] ? 2.0f : -2.0f;
        }
        return x;
    }

    @Test
    void learnsASeparableProblemOnRawFeatures() {
        boolean[] y = new boolean[400];
        float[][] x = blobs(y, 1);
        LogisticRegression.Model m =
                LogisticRegression.fit(x, y, LogisticRegression.balancedWeights(y), SMALL_DATA);
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            correct += (m.probability(x[i]) >= 0.5) == y[i] ? 1 : 0;
        }
        assertThat(correct).isEqualTo(x.length);
        // The standardisation is folded back: the informative feature carries the largest weight.
        for (int d = 1; d < 8; d++) {
            assertThat(Math.abs(m.weights()[0])).isGreaterThan(Math.abs(m.weights()[d]));
        }
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndOtherSeedsDiffer() {
        boolean[] y = new boolean[300];
        float[][] x = blobs(y, 2);
        double[] w = LogisticRegression.balancedWeights(y);
        LogisticRegression.Model a = LogisticRegression.fit(x, y, w, LogisticRegression.Settings.defaults(11));
        LogisticRegression.Model b = LogisticRegression.fit(x, y, w, LogisticRegression.Settings.defaults(11));
        LogisticRegression.Model c = LogisticRegression.fit(x, y, w, LogisticRegression.Settings.defaults(12));
        assertThat(a.weights()).containsExactly(b.weights());
        assertThat(a.bias()).isEqualTo(b.bias());
        assertThat(a.weights()).isNotEqualTo(c.weights());
    }

    @Test
    void balancedWeightsGiveEachClassHalf() {
        double[] w = LogisticRegression.balancedWeights(new boolean[] {true, false, false, false});
        assertThat(w[0]).isEqualTo(2.0);
        assertThat(w[1] + w[2] + w[3]).isEqualTo(2.0);
        assertThatThrownBy(() -> LogisticRegression.balancedWeights(new boolean[] {true, true}))
                .hasMessageContaining("both classes");
    }
}
