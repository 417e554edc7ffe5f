package dev.aimnext.operators.guardrails.eval;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BinaryMetricsTest {

    private static final double[] SCORES = {0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1};
    private static final boolean[] POSITIVE = {true, true, false, true, false, true, false, false};

    @Test
    void countsAtThreshold() {
        BinaryMetrics m = BinaryMetrics.at(SCORES, POSITIVE, 0.5);
        assertThat(m.truePositives()).isEqualTo(3);
        assertThat(m.falsePositives()).isEqualTo(1);
        assertThat(m.trueNegatives()).isEqualTo(3);
        assertThat(m.falseNegatives()).isEqualTo(1);
        assertThat(m.precision()).isEqualTo(0.75);
        assertThat(m.recall()).isEqualTo(0.75);
        assertThat(m.f1()).isCloseTo(0.75, within(1e-12));
        assertThat(m.falsePositiveRate()).isEqualTo(0.25);
    }

    @Test
    void scoreEqualToThresholdIsFlagged() {
        assertThat(BinaryMetrics.at(new double[] {0.5}, new boolean[] {true}, 0.5).truePositives()).isEqualTo(1);
    }

    @Test
    void undefinedRatesAreNaN() {
        BinaryMetrics onlyNegatives = BinaryMetrics.at(new double[] {0.1, 0.9}, new boolean[] {false, false}, 0.5);
        assertThat(onlyNegatives.recall()).isNaN();
        assertThat(onlyNegatives.f1()).isNaN();
        assertThat(onlyNegatives.falsePositiveRate()).isEqualTo(0.5);
        BinaryMetrics nothingFlagged = BinaryMetrics.at(new double[] {0.1}, new boolean[] {true}, 0.5);
        assertThat(nothingFlagged.precision()).isNaN();
        assertThat(nothingFlagged.f1()).isZero();
    }

    @Test
    void aucMatchesPairCounting() {
        // Pairs (positive, negative) ranked correctly, counted by hand: 4 + 4 + 3 + 2 = 13 of 16.
        assertThat(RocAuc.of(SCORES, POSITIVE)).isCloseTo(13.0 / 16, within(1e-12));
        assertThat(RocAuc.of(new double[] {0.5, 0.5}, new boolean[] {true, false})).isEqualTo(0.5);
        assertThat(RocAuc.of(new double[] {0.2, 0.3}, new boolean[] {true, true})).isNaN();
    }

    @Test
    void thresholdChoiceRespectsTheFalsePositiveBound() {
        BinaryMetrics loose = ThresholdChoice.best(SCORES, POSITIVE, 1.0);
        assertThat(loose.f1()).isGreaterThanOrEqualTo(BinaryMetrics.at(SCORES, POSITIVE, 0.5).f1());
        BinaryMetrics strict = ThresholdChoice.best(SCORES, POSITIVE, 0.0);
        assertThat(strict.falsePositives()).isZero();
        assertThat(strict.threshold()).isEqualTo(0.8);
    }

    @Test
    void sweepCoversNineteenSteps() {
        EvalResult r = EvalResult.of("toxicity", "x.jsonl", SCORES, POSITIVE, 0.5);
        assertThat(r.sweep()).hasSize(19);
        assertThat(r.sweep().get(0).threshold()).isCloseTo(0.05, within(1e-12));
        assertThat(r.summaryRow()).startsWith("| toxicity | x.jsonl | 4 / 4 | 0.500 | 0.750 | 0.750 | 0.750 | 0.250 | 0.813 |");
        assertThat(r.sweepTable()).contains("| 0.50 | 0.750 | 0.750 | 0.750 | 0.250 | 4 |");
    }
}
