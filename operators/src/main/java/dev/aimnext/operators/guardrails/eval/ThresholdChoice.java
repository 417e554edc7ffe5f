package dev.aimnext.operators.guardrails.eval;

import java.util.Arrays;

/**
 * Picks a decision threshold on held-out scores: the highest F1 among thresholds whose
 * false-positive rate stays within a bound. Guardrails block user traffic, so a threshold that
 * wins F1 by flagging many benign texts is not wanted; the bound says how many are acceptable.
 */
public final class ThresholdChoice {

    private ThresholdChoice() {}

    /**
     * @param maxFalsePositiveRate e.g. 0.02; when no threshold meets it, the one with the lowest
     *     false-positive rate is taken
     */
    public static BinaryMetrics best(double[] scores, boolean[] positive, double maxFalsePositiveRate) {
        double[] candidates = Arrays.stream(scores).distinct().sorted().toArray();
        BinaryMetrics best = null;
        BinaryMetrics strictest = null;
        for (double t : candidates) {
            BinaryMetrics m = BinaryMetrics.at(scores, positive, t);
            if (strictest == null || m.falsePositiveRate() < strictest.falsePositiveRate()) {
                strictest = m;
            }
            if (m.falsePositiveRate() <= maxFalsePositiveRate && (best == null || m.f1() > best.f1())) {
                best = m;
            }
        }
        if (best == null && strictest == null) {
            throw new IllegalArgumentException("no scores to choose a threshold from");
        }
        return best != null ? best : strictest;
    }
}
