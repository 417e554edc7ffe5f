package dev.aimnext.operators.dataset.dedup;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Computes MinHash signatures: for each of {@code numHashes} hash functions, the minimum hash over a
 * text's shingles. The fraction of equal positions in two signatures estimates the Jaccard
 * similarity of the shingle sets, which is what makes near-duplicate search sub-quadratic.
 *
 * <p>The functions are {@code mix(a*x + b)} with odd {@code a} and any {@code b} drawn from a
 * {@link SplittableRandom} with the given seed: the same seed gives the same family on every task
 * manager, which the band keys depend on. The re-mix matters: the cheaper multiply-add-shift family
 * without it over-estimated similarity on real chat data (about twice as many pairs with a true
 * Jaccard of 0.7 to 0.8 crossed a 0.8 threshold on the sample files). Signatures keep the high 32
 * bits of each minimum: two different minima then agree with probability 2^-32, far below the
 * estimate's own error, and the signatures that dedup shuffles once per LSH band are half the size.
 */
public final class MinHasher {

    private final long[] multipliers;
    private final long[] increments;

    public MinHasher(int numHashes, long seed) {
        if (numHashes < 1) {
            throw new IllegalArgumentException("numHashes must be at least 1, was " + numHashes);
        }
        SplittableRandom random = new SplittableRandom(seed);
        multipliers = new long[numHashes];
        increments = new long[numHashes];
        for (int i = 0; i < numHashes; i++) {
            multipliers[i] = random.nextLong() | 1L;
            increments[i] = random.nextLong();
        }
    }

    public int numHashes() {
        return multipliers.length;
    }

    /** The signature of a shingle set; all positions are -1 for an empty set. */
    public int[] signature(long[] shingles) {
        long[] min = new long[multipliers.length];
        Arrays.fill(min, Long.MAX_VALUE);
        for (long shingle : shingles) {
            for (int i = 0; i < min.length; i++) {
                long h = StableHash.mix(multipliers[i] * shingle + increments[i]) >>> 32;
                if (h < min[i]) {
                    min[i] = h;
                }
            }
        }
        int[] signature = new int[min.length];
        for (int i = 0; i < min.length; i++) {
            signature[i] = (int) min[i];
        }
        return signature;
    }

    /** The estimated Jaccard similarity of two signatures from this hasher. */
    public static double estimateJaccard(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("signatures differ in length: " + a.length + " vs " + b.length);
        }
        int equal = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) {
                equal++;
            }
        }
        return (double) equal / a.length;
    }
}
