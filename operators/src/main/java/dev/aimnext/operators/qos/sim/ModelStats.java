package dev.aimnext.operators.qos.sim;

/**
 * Counters of one model since the simulation began.
 *
 * @param model the model
 * @param arrivals requests that arrived
 * @param completed requests that finished OK
 * @param rejected requests refused by the admission limit
 * @param timedOut requests dropped after waiting past the request timeout
 * @param failed requests whose context can never fit the model's KV budget (status ERROR)
 * @param preemptions times a running request lost its KV cache and was requeued: when the budget ran
 *     out, shrank under it, or the model was moved
 * @param queued requests waiting now
 * @param running requests in the running batch now
 */
public record ModelStats(String model, long arrivals, long completed, long rejected, long timedOut, long failed,
        long preemptions, int queued, int running) {
}
