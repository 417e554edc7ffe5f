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
 * manager, which the band keys depend on.
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

    /** The signature of a shingle set; all positions are {@link Long#MAX_VALUE} for an empty set. */
    public long[] signature(long[] shingles) {
        long[] signature = new long[multipliers.length];
        Arrays.fill(signature, Long.MAX_VALUE);
        for (long shingle : shingles) {
            for (int i = 0; i < signature.length; i++) {
                long h = StableHash.mix(multipliers[i] * shingle + increments[i]);
                if (h < signature[i]) {
                    signature[i] = h;
                }
            }
        }
        return signature;
    }

    /** The estimated Jaccard similarity of two signatures from this hasher. */
    public static double estimateJaccard(long[] a, long[] b) {
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
