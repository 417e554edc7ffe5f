package dev.aimnext.operators.qos.telemetry.prometheus;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One sample line: a metric name, its labels, a value and the optional timestamp.
 *
 * @param name the sample name as written, e.g. {@code vllm:e2e_request_latency_seconds_bucket}
 * @param labels label names to unescaped values, sorted by name so equal label sets compare equal
 * @param value the value; may be NaN or infinite
 * @param timestampMs milliseconds since the epoch, when the exporter wrote one
 */
public record Sample(String name, Map<String, String> labels, double value, OptionalLong timestampMs) {

    public Sample {
        Objects.requireNonNull(name, "name");
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        Objects.requireNonNull(timestampMs, "timestampMs");
    }

    /** The labels without one of them, e.g. without {@code le} to name the series a bucket belongs to. */
    public Map<String, String> labelsWithout(String label) {
        if (!labels.containsKey(label)) {
            return labels;
        }
        TreeMap<String, String> rest = new TreeMap<>(labels);
        rest.remove(label);
        return Collections.unmodifiableMap(rest);
    }
}
