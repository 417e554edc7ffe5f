package dev.aimnext.operators.qos.telemetry.prometheus;

import java.util.Locale;
import java.util.Optional;

/** The metric types a {@code # TYPE} line may declare in the Prometheus text format 0.0.4. */
public enum MetricType {
    COUNTER,
    GAUGE,
    HISTOGRAM,
    SUMMARY,
    UNTYPED;

    /** The type for its exposition keyword ({@code counter}, {@code histogram}, ...), if it is one. */
    static Optional<MetricType> fromKeyword(String keyword) {
        for (MetricType type : values()) {
            if (type.name().toLowerCase(Locale.ROOT).equals(keyword)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
