package dev.aimnext.operators.guardrails.eval;

/**
 * Confusion counts of a binary guardrail at one threshold (a score at or above the threshold
 * flags the text), and the rates derived from them.
 */
public record BinaryMetrics(double threshold, int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {

    /** Counts for {@code scores} against {@code positive} at {@code threshold}. */
    public static BinaryMetrics at(double[] scores, boolean[] positive, double threshold) {
        int tp = 0;
        int fp = 0;
        int tn = 0;
        int fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] >= threshold;
            if (positive[i]) {
                if (flagged) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (flagged) {
                fp++;
            } else {
                tn++;
            }
        }
        return new BinaryMetrics(threshold, tp, fp, tn, fn);
    }

    public int positives() {
        return truePositives + falseNegatives;
    }

    public int negatives() {
        return falsePositives + trueNegatives;
    }

    /** NaN when nothing was flagged. */
    public double precision() {
        int flagged = truePositives + falsePositives;
        return flagged == 0 ? Double.NaN : (double) truePositives / flagged;
    }

    /** NaN when the data has no positive rows. */
    public double recall() {
        return positives() == 0 ? Double.NaN : (double) truePositives / positives();
    }

    /** NaN when precision or recall is undefined; 0 when both are 0. */
    public double f1() {
        double p = precision();
        double r = recall();
        if (Double.isNaN(p) || Double.isNaN(r)) {
            return positives() == 0 ? Double.NaN : 0;
        }
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** False-positive rate: flagged negatives over all negatives; NaN without negatives. */
    public double falsePositiveRate() {
        return negatives() == 0 ? Double.NaN : (double) falsePositives / negatives();
    }
}
