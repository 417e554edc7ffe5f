package dev.aimnext.operators.qos.telemetry.vllm;

/**
 * A valid Prometheus scrape that cannot be read as vLLM telemetry for the requested model: no
 * {@code vllm:*} metrics at all, no series for that model, or a histogram the estimate needs is
 * missing. The message says which, and lists the models the endpoint does serve.
 */
public final class VllmMetricsException extends IllegalArgumentException {

    public VllmMetricsException(String message) {
        super(message);
    }
}
