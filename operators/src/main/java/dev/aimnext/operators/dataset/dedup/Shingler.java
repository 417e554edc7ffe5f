package dev.aimnext.operators.dataset.dedup;

import java.util.Arrays;

/**
 * Turns a text into the set of its k-shingles, hashed to 64 bits. Word shingles suit prose and chat
 * (an edited word changes only k shingles); character shingles suit short texts and code, where
 * there are too few words. The text is {@link TextNormalization normalized} first, so case and
 * spacing never make two rows look different.
 */
public final class Shingler {

    /** What a shingle is made of. */
    public enum Unit {
        WORDS,
        CHARACTERS
    }

    private final Unit unit;
    private final int k;

    private Shingler(Unit unit, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        this.unit = unit;
        this.k = k;
    }

    public static Shingler words(int k) {
        return new Shingler(Unit.WORDS, k);
    }

    public static Shingler characters(int k) {
        return new Shingler(Unit.CHARACTERS, k);
    }

    /**
     * The distinct shingle hashes, sorted. A text shorter than k units is one shingle, so short rows
     * still get a signature; an empty text has none.
     */
    public long[] shingles(String text) {
        return shinglesOfNormalized(TextNormalization.normalize(text));
    }

    /** {@link #shingles} of a text that is already {@link TextNormalization normalized}. */
    public long[] shinglesOfNormalized(String normalized) {
        if (normalized.isEmpty()) {
            return new long[0];
        }
        long[] hashes = unit == Unit.WORDS ? wordShingles(normalized) : charShingles(normalized);
        return Arrays.stream(hashes).sorted().distinct().toArray();
    }

    private long[] charShingles(String text) {
        if (text.length() <= k) {
            return new long[] {StableHash.hash(text, 0, text.length())};
        }
        long[] out = new long[text.length() - k + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = StableHash.hash(text, i, i + k);
        }
        return out;
    }

    private long[] wordShingles(String text) {
        // After normalization words are separated by exactly one space.
        int[] starts = new int[text.length() + 1];
        int words = 0;
        starts[words++] = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ' ') {
                starts[words++] = i + 1;
            }
        }
        starts[words] = text.length() + 1;
        if (words <= k) {
            return new long[] {StableHash.hash(text, 0, text.length())};
        }
        long[] out = new long[words - k + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = StableHash.hash(text, starts[i], starts[i + k] - 1);
        }
        return out;
    }
}
