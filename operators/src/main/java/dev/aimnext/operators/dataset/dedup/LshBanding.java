package dev.aimnext.operators.dataset.dedup;

import java.util.ArrayList;
import java.util.List;

/**
 * Locality-sensitive hashing over MinHash signatures: the signature is cut into {@code bands} bands
 * of {@code rows} values, and two rows become candidates when any band is identical. The chance of
 * that for Jaccard similarity {@code s} is {@code 1 - (1 - s^rows)^bands}, an S-curve whose
 * steepest point sits near {@code (1/bands)^(1/rows)}.
 *
 * <p>{@link #forThreshold(double, int)} picks bands × rows the way datasketch does: minimizing the
 * equally weighted areas of false positives below the threshold and false negatives above it.
 * Recall right at the threshold is only about one half (0.7 with 128 hashes gives 14 × 9, which
 * catches pairs at Jaccard 0.83 with probability 0.94), so set the threshold somewhat below the
 * similarity that must be caught; candidates are cheap to verify with
 * {@link MinHasher#estimateJaccard(int[], int[])} inside a bucket.
 */
public final class LshBanding {

    private final int bands;
    private final int rows;

    public LshBanding(int bands, int rows) {
        if (bands < 1 || rows < 1) {
            throw new IllegalArgumentException("bands and rows must be positive, were " + bands + " and " + rows);
        }
        this.bands = bands;
        this.rows = rows;
    }

    /** The bands × rows (with {@code bands * rows <= numHashes}) that best separate at {@code threshold}. */
    public static LshBanding forThreshold(double threshold, int numHashes) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), was " + threshold);
        }
        double bestError = Double.MAX_VALUE;
        LshBanding best = null;
        for (int b = 1; b <= numHashes; b++) {
            int r = numHashes / b;
            double error = 0.5 * falsePositiveArea(threshold, b, r) + 0.5 * falseNegativeArea(threshold, b, r);
            if (error < bestError) {
                bestError = error;
                best = new LshBanding(b, r);
            }
        }
        return best;
    }

    public int bands() {
        return bands;
    }

    public int rows() {
        return rows;
    }

    /** The probability that two rows of Jaccard similarity {@code s} share at least one band. */
    public double candidateProbability(double s) {
        return 1 - Math.pow(1 - Math.pow(s, rows), bands);
    }

    /** One key per band; signature positions past {@code bands * rows} are not used. */
    public List<BandKey> bandKeys(int[] signature) {
        if (signature.length < bands * rows) {
            throw new IllegalArgumentException("signature has " + signature.length + " values, banding needs "
                    + bands * rows);
        }
        List<BandKey> keys = new ArrayList<>(bands);
        for (int band = 0; band < bands; band++) {
            long h = 0x9e3779b97f4a7c15L * (band + 1);
            for (int i = band * rows; i < (band + 1) * rows; i++) {
                h = StableHash.mix(h ^ signature[i]) + i;
            }
            keys.add(new BandKey(band, h));
        }
        return keys;
    }

    private static double falsePositiveArea(double threshold, int b, int r) {
        return integrate(s -> 1 - Math.pow(1 - Math.pow(s, r), b), 0, threshold);
    }

    private static double falseNegativeArea(double threshold, int b, int r) {
        return integrate(s -> Math.pow(1 - Math.pow(s, r), b), threshold, 1);
    }

    private static double integrate(java.util.function.DoubleUnaryOperator f, double from, double to) {
        int steps = 200;
        double width = (to - from) / steps;
        double sum = 0.5 * (f.applyAsDouble(from) + f.applyAsDouble(to));
        for (int i = 1; i < steps; i++) {
            sum += f.applyAsDouble(from + i * width);
        }
        return sum * width;
    }

    @Override
    public String toString() {
        return bands + " bands x " + rows + " rows";
    }
}
