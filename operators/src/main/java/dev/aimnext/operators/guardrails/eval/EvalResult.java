package dev.aimnext.operators.guardrails.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Quality of one guardrail score on one labelled file: the figures at the pack's threshold, the
 * AUC, and a threshold sweep.
 *
 * @param guardrail the score key, e.g. {@code prompt_injection}
 * @param data the file's name
 * @param atThreshold counts at the pack's calibrated threshold
 * @param auc area under the ROC curve; NaN when the file has one class only
 * @param sweep counts at other thresholds, ascending
 */
public record EvalResult(String guardrail, String data, BinaryMetrics atThreshold, double auc, List<BinaryMetrics> sweep) {

    /** The default sweep: 0.05, 0.10, ... 0.95. */
    public static final double[] SWEEP = sweepSteps();

    public static EvalResult of(String guardrail, String data, double[] scores, boolean[] positive, double threshold) {
        List<BinaryMetrics> sweep = new ArrayList<>();
        for (double t : SWEEP) {
            sweep.add(BinaryMetrics.at(scores, positive, t));
        }
        return new EvalResult(guardrail, data, BinaryMetrics.at(scores, positive, threshold),
                RocAuc.of(scores, positive), List.copyOf(sweep));
    }

    private static double[] sweepSteps() {
        double[] steps = new double[19];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = (i + 1) * 0.05;
        }
        return steps;
    }

    /** A Markdown table row for the summary: guardrail, data, rows, threshold, P, R, F1, FPR, AUC. */
    public String summaryRow() {
        BinaryMetrics m = atThreshold;
        return String.format(Locale.ROOT, "| %s | %s | %d / %d | %.3f | %s | %s | %s | %s | %s |",
                guardrail, data, m.positives(), m.negatives(), m.threshold(), fmt(m.precision()), fmt(m.recall()),
                fmt(m.f1()), fmt(m.falsePositiveRate()), fmt(auc));
    }

    public static String summaryHeader() {
        return "| guardrail | data | positive / negative | threshold | precision | recall | F1 | FPR | AUC |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|";
    }

    /** The sweep as a Markdown table. */
    public String sweepTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| threshold | precision | recall | F1 | FPR | flagged |\n|---:|---:|---:|---:|---:|---:|\n");
        for (BinaryMetrics m : sweep) {
            sb.append(String.format(Locale.ROOT, "| %.2f | %s | %s | %s | %s | %d |%n", m.threshold(), fmt(m.precision()),
                    fmt(m.recall()), fmt(m.f1()), fmt(m.falsePositiveRate()), m.truePositives() + m.falsePositives()));
        }
        return sb.toString();
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.3f", v);
    }
}
