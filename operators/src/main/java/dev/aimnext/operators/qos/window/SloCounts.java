package dev.aimnext.operators.qos.window;

import dev.aimnext.operators.qos.sketch.QosAccumulator;

/**
 * The exact counters of a window, without its sketches: all a burn-rate window needs.
 *
 * @param allMet successful requests within every objective of their model
 */
public record SloCounts(long requests, long errors, long tokens, long ttftMet, long tpotMet, long e2eMet,
        long allMet) {

    public static SloCounts of(QosAccumulator acc) {
        return new SloCounts(acc.requests(), acc.errors(), acc.tokens(), acc.ttftMet(), acc.tpotMet(), acc.e2eMet(),
                acc.allMet());
    }
}
