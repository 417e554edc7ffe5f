package dev.aimnext.operators.qos.sim;

import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Exact TTFT quantiles of OK requests, overall and per tumbling window of event time (for tests). */
final class TtftWindows {

    static final long WINDOW_MS = 10_000;

    private TtftWindows() {
    }

    /** The {@code q} quantile (nearest rank) of the OK requests' TTFT finishing in [fromMs, toMs). */
    static double quantile(List<RequestTelemetry> telemetry, double q, long fromMs, long toMs) {
        double[] values = telemetry.stream()
                .filter(t -> t.getStatus() == RequestStatus.OK && t.getEventTimeMs() >= fromMs && t.getEventTimeMs() < toMs)
                .mapToDouble(RequestTelemetry::getTtftMs).sorted().toArray();
        return nearestRank(values, q);
    }

    static double quantile(List<RequestTelemetry> telemetry, double q) {
        return quantile(telemetry, q, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** p99 TTFT per window start, for windows with at least one OK request. */
    static Map<Long, Double> p99PerWindow(List<RequestTelemetry> telemetry) {
        Map<Long, List<Double>> byWindow = new TreeMap<>();
        for (RequestTelemetry t : telemetry) {
            if (t.getStatus() == RequestStatus.OK) {
                long start = t.getEventTimeMs() / WINDOW_MS * WINDOW_MS;
                byWindow.computeIfAbsent(start, k -> new ArrayList<>()).add(t.getTtftMs());
            }
        }
        Map<Long, Double> p99 = new TreeMap<>();
        byWindow.forEach((start, values) -> p99.put(start,
                nearestRank(values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 0.99)));
        return p99;
    }

    /** Windows starting at or after {@code fromMs} whose p99 exceeds {@code sloMs}. */
    static long missedWindows(List<RequestTelemetry> telemetry, double sloMs, long fromMs) {
        return p99PerWindow(telemetry).entrySet().stream()
                .filter(e -> e.getKey() >= fromMs && e.getValue() > sloMs).count();
    }

    private static double nearestRank(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
