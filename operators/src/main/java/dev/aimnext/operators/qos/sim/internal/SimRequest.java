package dev.aimnext.operators.qos.sim.internal;

/**
 * One request in flight. Mutable and pooled by {@link RequestPool}, so a long run allocates no
 * request state once the pool has grown to the peak number in flight.
 */
public final class SimRequest {

    long seq;
    double arrivalMs;
    double firstTokenMs;
    int promptTokens;
    int outputTokens;
    int generated;
    /** Admitted at the start of the running prefill step and not yet through it. */
    boolean inPrefill;

    void reset(long seq, double arrivalMs, int promptTokens, int outputTokens) {
        this.seq = seq;
        this.arrivalMs = arrivalMs;
        this.firstTokenMs = -1;
        this.promptTokens = promptTokens;
        this.outputTokens = outputTokens;
        this.generated = 0;
        this.inPrefill = false;
    }

    /** Tokens of context its KV cache holds while it runs. */
    long kvTokens() {
        return (long) promptTokens + generated;
    }
}
