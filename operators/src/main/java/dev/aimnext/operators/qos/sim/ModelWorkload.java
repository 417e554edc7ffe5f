package dev.aimnext.operators.qos.sim;

import java.util.Objects;

/**
 * The traffic one served model receives and how it serves it. SLOs are not part of it: the
 * simulator only reports latencies, and whoever scores a run brings the objectives.
 *
 * @param model the model name, as the placement and telemetry name it
 * @param arrivals when requests arrive
 * @param promptTokens prompt lengths
 * @param outputTokens output lengths (completion tokens of a request that finishes)
 * @param serving speeds and KV cost
 */
public record ModelWorkload(String model, ArrivalPattern arrivals, TokenDistribution promptTokens,
        TokenDistribution outputTokens, ServingProfile serving) {

    public ModelWorkload {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(arrivals, "arrivals of " + model);
        Objects.requireNonNull(promptTokens, "promptTokens of " + model);
        Objects.requireNonNull(outputTokens, "outputTokens of " + model);
        Objects.requireNonNull(serving, "serving of " + model);
    }

    /** This workload with other arrivals. */
    public ModelWorkload withArrivals(ArrivalPattern pattern) {
        return new ModelWorkload(model, pattern, promptTokens, outputTokens, serving);
    }
}
