package dev.aimnext.operators.guardrails.train;

import java.util.Random;

/**
 * Fisher-Yates shuffle of row indices with a caller's seeded generator: the trainers' only source
 * of randomness per epoch, so a seed fixes the order of every mini-batch.
 */
public final class SeededShuffle {

    private SeededShuffle() {}

    public static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
