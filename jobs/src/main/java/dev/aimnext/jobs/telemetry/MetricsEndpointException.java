package dev.aimnext.jobs.telemetry;

/**
 * A {@code /metrics} endpoint that could not be read: unreachable, slow, answering an error status
 * or something that is not Prometheus text. The message names the URL and says which.
 */
public final class MetricsEndpointException extends IllegalStateException {

    public MetricsEndpointException(String message) {
        super(message);
    }
}
