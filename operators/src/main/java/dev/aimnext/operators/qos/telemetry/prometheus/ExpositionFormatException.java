package dev.aimnext.operators.qos.telemetry.prometheus;

/**
 * Text that is not valid Prometheus exposition. The message names the line and what is wrong with
 * it, so whoever pointed the scraper at the endpoint can tell a wrong URL from a broken exporter.
 */
public final class ExpositionFormatException extends IllegalArgumentException {

    private final int line;

    public ExpositionFormatException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    /** The 1-based line the problem was found on, or 0 when it concerns a whole series. */
    public int line() {
        return line;
    }
}
