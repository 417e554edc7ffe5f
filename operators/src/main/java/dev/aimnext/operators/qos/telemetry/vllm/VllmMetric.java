package dev.aimnext.operators.qos.telemetry.vllm;

import java.util.List;

/**
 * The vLLM metric families the scraper reads, each with the names vLLM releases have exposed it
 * under, newest first. Every series carries a {@code model_name} label (the served model name);
 * V1-engine releases add {@code engine}, one series per data-parallel engine.
 *
 * <p>Names, from vLLM's {@code vllm/engine/metrics.py} (V0 engine) and
 * {@code vllm/v1/metrics/loggers.py} (V1):
 * <ul>
 *   <li>{@code vllm:time_per_output_token_seconds} observes every output token after the first
 *       (the gap since the previous token). V1 deprecated it in 0.11 for the same histogram under
 *       {@code vllm:inter_token_latency_seconds}, and added
 *       {@code vllm:request_time_per_output_token_seconds}, observed once per finished request
 *       with that request's mean.
 *   <li>{@code vllm:gpu_cache_usage_perc} was deprecated in 0.9 for {@code vllm:kv_cache_usage_perc};
 *       for some releases both carry the same value, recent ones have only the new name.
 * </ul>
 */
public enum VllmMetric {

    /** Histogram, seconds, observed once per finished request: defines how many requests finished. */
    E2E_LATENCY(true, "vllm:e2e_request_latency_seconds"),

    /** Histogram, seconds, observed once per request when its first token is out (not at finish). */
    TIME_TO_FIRST_TOKEN(true, "vllm:time_to_first_token_seconds"),

    /** Histogram, seconds, observed once per finished request: its mean time per output token. */
    REQUEST_TIME_PER_OUTPUT_TOKEN(true, "vllm:request_time_per_output_token_seconds"),

    /** Histogram, seconds, observed once per output token after the first. */
    INTER_TOKEN_LATENCY(true, "vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds"),

    /** Histogram, tokens, observed once per finished request. */
    PROMPT_TOKENS(true, "vllm:request_prompt_tokens"),

    /** Histogram, tokens, observed once per finished request. */
    GENERATION_TOKENS(true, "vllm:request_generation_tokens"),

    /** Gauge: requests in the running batch. */
    RUNNING_REQUESTS(false, "vllm:num_requests_running"),

    /** Gauge: requests queued, not yet scheduled. */
    WAITING_REQUESTS(false, "vllm:num_requests_waiting"),

    /** Gauge: the fraction (0 to 1) of the KV-cache blocks in use. */
    KV_CACHE_USAGE(false, "vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc");

    /** The label vLLM puts the served model name in. */
    public static final String MODEL_LABEL = "model_name";

    private final boolean histogram;
    private final List<String> names;

    VllmMetric(boolean histogram, String... names) {
        this.histogram = histogram;
        this.names = List.of(names);
    }

    public boolean isHistogram() {
        return histogram;
    }

    /** The family names, newest release first. */
    public List<String> names() {
        return names;
    }
}
