package dev.aimnext.operators.qos.telemetry.vllm;

import java.util.OptionalDouble;

/**
 * The instantaneous state of one served model at a scrape, over all its engines.
 *
 * @param runningRequests requests in running batches, summed over data-parallel engines
 * @param waitingRequests requests queued, summed over engines
 * @param kvCacheUsage fraction (0 to 1) of KV-cache blocks in use, averaged over engines
 */
public record VllmGauges(OptionalDouble runningRequests, OptionalDouble waitingRequests, OptionalDouble kvCacheUsage) {

    public static VllmGauges none() {
        return new VllmGauges(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty());
    }
}
