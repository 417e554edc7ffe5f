package dev.aimnext.operators.qos.rebalance;

import org.junit.jupiter.api.Test;

import static dev.aimnext.operators.qos.rebalance.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ModelHistoryTest {

    private static final RebalanceSettings S = RebalanceSettings.defaults();

    private static ModelHistory of(double... rates) {
        ModelHistory h = new ModelHistory("m");
        for (int i = 0; i < rates.length; i++) {
            h.observe(window("m", "gpu0/p0", 10_000L * (i + 1), rates[i], 100), 0.2, 1.0, S.historyWindows());
        }
        return h;
    }

    @Test
    void steadyTrafficIsNotBursty() {
        ModelHistory h = of(3, 3.2, 2.9, 3.1, 3, 2.8);
        assertThat(h.rateCv()).isLessThan(0.1);
        assertThat(h.isBursty(S)).isFalse();
    }

    @Test
    void onOffTrafficIsBurstyByItsCoefficientOfVariation() {
        ModelHistory h = of(0.1, 3, 0.1, 3);
        // mean 1.55, population sd 1.45: cv 0.935.
        assertThat(h.rateCv()).isCloseTo(1.45 / 1.55, within(1e-9));
        assertThat(h.isBursty(S)).isTrue();
    }

    @Test
    void aRareSpikeIsBurstyByItsPeakToMean() {
        ModelHistory h = of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 4);
        assertThat(h.peakToMean()).isCloseTo(4 / (15.0 / 12), within(1e-9));
        assertThat(h.isBursty(S)).isTrue();
    }

    @Test
    void tooShortAHistoryIsNeverBursty() {
        assertThat(of(0.1, 5, 0.1).isBursty(S)).isFalse();
    }

    @Test
    void theHistoryKeepsTheLastWindowsAndIgnoresLateOrRepeatedOnes() {
        ModelHistory h = of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14);
        assertThat(h.rates).hasSize(S.historyWindows()).startsWith(3.0).endsWith(14.0);
        assertThat(h.observe(window("m", "gpu0/p0", 140_000, 99, 100), 0, 1, S.historyWindows())).isFalse();
        assertThat(h.observe(window("m", "gpu0/p0", 50_000, 99, 100), 0, 1, S.historyWindows())).isFalse();
        assertThat(h.peakRate()).isEqualTo(14.0);
    }

    @Test
    void consecutiveWindowsOverTheTriggerAreCounted() {
        ModelHistory h = new ModelHistory("m");
        h.observe(window("m", "p", 10_000, 1, 100), 1.5, 1.0, 12);
        h.observe(window("m", "p", 20_000, 1, 100), 1.2, 1.0, 12);
        assertThat(h.windowsOver).isEqualTo(2);
        h.observe(window("m", "p", 30_000, 1, 100), 0.9, 1.0, 12);
        assertThat(h.windowsOver).isZero();
    }
}
