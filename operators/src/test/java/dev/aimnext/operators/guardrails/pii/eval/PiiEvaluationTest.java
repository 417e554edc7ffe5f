package dev.aimnext.operators.guardrails.pii.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.operators.guardrails.pii.PiiAnalyzer;
import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.PiiSpan;
import dev.aimnext.operators.guardrails.pii.eval.PiiEvaluation.Counts;
import dev.aimnext.operators.guardrails.pii.eval.PiiEvaluation.Example;
import dev.aimnext.operators.guardrails.pii.eval.PiiEvaluation.GoldSpan;
import dev.aimnext.operators.guardrails.pii.eval.PiiEvaluation.Report;
import dev.aimnext.operators.guardrails.pii.recognize.Recognizer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

/**
 * The accuracy targets on the bundled Presidio evaluation sets, with the default policy:
 * precision and recall of at least 0.95 for EMAIL_ADDRESS, CREDIT_CARD, US_SSN and IP_ADDRESS on
 * both sets combined. Run {@link PiiEvaluation#main} for the full tables.
 */
class PiiEvaluationTest {

    private static final double TARGET = 0.95;

    private static Report combined;

    @BeforeAll
    static void evaluate() {
        List<Report> reports = PiiEvaluation.evaluateBundled();
        combined = reports.get(reports.size() - 1);
    }

    @ParameterizedTest
    @EnumSource(
            value = PiiEntity.class,
            names = {"EMAIL_ADDRESS", "CREDIT_CARD", "US_SSN", "IP_ADDRESS"})
    void meetsThePrecisionAndRecallTargets(PiiEntity entity) {
        Counts counts = combined.counts(entity);

        assertThat(counts.gold()).as("gold %s spans", entity).isPositive();
        assertThat(counts.precision()).as("precision of %s", entity).isGreaterThanOrEqualTo(TARGET);
        assertThat(counts.recall()).as("recall of %s", entity).isGreaterThanOrEqualTo(TARGET);
    }

    @Test
    void coversBothDatasets() {
        assertThat(combined.texts()).isEqualTo(1500 + 2109);
        assertThat(combined.toMarkdown())
                .contains("| entity | gold | predicted | TP | FP | FN | precision | recall |")
                .contains("| EMAIL_ADDRESS |");
    }

    // The matching rule itself, on hand-made examples with a fake analyzer.

    private static PiiAnalyzer predicting(PiiSpan... spans) {
        Recognizer fixed = (text, out) -> out.addAll(List.of(spans));
        return new PiiAnalyzer(List.of(fixed), 0.0, 0);
    }

    @Test
    void anOverlappingPredictionOfTheSameTypeIsATruePositive() {
        Example example = new Example("call 555 0100 now", List.of(new GoldSpan(5, 13, "PHONE_NUMBER")), "t");

        Report report = PiiEvaluation.evaluate(
                "t", List.of(example), predicting(new PiiSpan(PiiEntity.PHONE_NUMBER, 4, 9, 0.9)));

        Counts phone = report.counts(PiiEntity.PHONE_NUMBER);
        assertThat(List.of(phone.gold(), phone.predicted(), phone.truePositives(), phone.falsePositives(),
                        phone.falseNegatives()))
                .containsExactly(1, 1, 1, 0, 0);
    }

    @Test
    void eachGoldSpanIsMatchedAtMostOnce() {
        Example example = new Example("call 555 0100 now", List.of(new GoldSpan(5, 13, "PHONE_NUMBER")), "t");

        Report report = PiiEvaluation.evaluate("t", List.of(example), predicting(
                new PiiSpan(PiiEntity.PHONE_NUMBER, 5, 8, 0.9),
                new PiiSpan(PiiEntity.PHONE_NUMBER, 9, 13, 0.9)));

        Counts phone = report.counts(PiiEntity.PHONE_NUMBER);
        assertThat(phone.truePositives()).isEqualTo(1);
        assertThat(phone.falsePositives()).isEqualTo(1);
        assertThat(phone.precision()).isEqualTo(0.5);
        assertThat(phone.recall()).isEqualTo(1.0);
    }

    @Test
    void aPredictionOverAGoldSpanOfAnotherTypeIsAFalsePositiveAndTheGoldIsMissed() {
        Example example = new Example(
                "license 2270661551 and ssn 536904399",
                List.of(new GoldSpan(8, 18, "US_DRIVER_LICENSE"), new GoldSpan(27, 36, "US_SSN")),
                "t");

        Report report = PiiEvaluation.evaluate("t", List.of(example), predicting(
                new PiiSpan(PiiEntity.PHONE_NUMBER, 8, 18, 0.9),
                new PiiSpan(PiiEntity.PHONE_NUMBER, 27, 36, 0.9)));

        assertThat(report.counts(PiiEntity.PHONE_NUMBER).falsePositives()).isEqualTo(2);
        assertThat(report.counts(PiiEntity.PHONE_NUMBER).gold()).isZero();
        assertThat(report.counts(PiiEntity.US_SSN).falseNegatives()).isEqualTo(1);
        assertThat(report.counts(PiiEntity.US_SSN).recall()).isEqualTo(0.0);
        assertThat(report.counts(PiiEntity.US_SSN).precision()).isNaN();
        assertThat(report.errors()).hasSize(3);
    }

    @Test
    void predictionsOfSecretTypesAreNotScored() {
        Example example = new Example("key AKIAIOSFODNN7EXAMPLE", List.of(), "t");

        Report report = PiiEvaluation.evaluate(
                "t", List.of(example), predicting(new PiiSpan(PiiEntity.AWS_ACCESS_KEY, 4, 24, 0.95)));

        assertThat(report.total().predicted()).isZero();
        assertThat(report.errors()).isEmpty();
    }
}
