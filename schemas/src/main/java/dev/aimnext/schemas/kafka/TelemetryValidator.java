package dev.aimnext.schemas.kafka;

import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.GpuProcess;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestTelemetry;

/**
 * Range checks for telemetry, whichever encoding it came in. A value outside its range would skew
 * every quantile and attainment of its window, so the record is dead-lettered ({@code
 * MISSING_FIELD} or {@code OUT_OF_RANGE}, naming the field) instead. Messages never quote values.
 */
public final class TelemetryValidator {

    private TelemetryValidator() {}

    /**
     * A request needs an id, a model, a partition and an event time; latencies must be finite and
     * not negative, token counts not negative, and the end-to-end latency at least the TTFT (the
     * first token cannot arrive after the response ended).
     */
    public static RequestTelemetry validate(RequestTelemetry t) throws EventDecodingException {
        requireText(t.getRequestId(), "requestId");
        requireText(t.getModel(), "model");
        requireText(t.getPartitionId(), "partitionId");
        latency(t.getTtftMs(), "ttftMs");
        latency(t.getTpotMs(), "tpotMs");
        latency(t.getE2eMs(), "e2eMs");
        if (t.getE2eMs() < t.getTtftMs()) {
            throw outOfRange("e2eMs is below ttftMs");
        }
        notNegative(t.getPromptTokens(), "promptTokens");
        notNegative(t.getCompletionTokens(), "completionTokens");
        if (t.getEventTimeMs() <= 0) {
            throw new EventDecodingException("MISSING_FIELD", "eventTimeMs is missing or not after the epoch");
        }
        return t;
    }

    /**
     * A sample needs a GPU, a partition and a time; used memory must be known-or-{@code -1}, the
     * limit positive and the activity a percentage.
     */
    public static GpuSample validate(GpuSample s) throws EventDecodingException {
        requireText(s.getGpuId(), "gpuId");
        requireText(s.getPartitionId(), "partitionId");
        // The collector reports -1 when it could not read the partition's usage.
        if (s.getVramUsedBytes() < -1) {
            throw outOfRange("vramUsedBytes must be -1 (unknown) or more");
        }
        if (s.getVramLimitBytes() <= 0) {
            throw outOfRange("vramLimitBytes must be positive");
        }
        Double activity = s.getActivityPct();
        if (activity != null && !(activity >= 0 && activity <= 100)) {
            throw outOfRange("activityPct must be within [0, 100]");
        }
        for (GpuProcess p : s.getProcesses()) {
            if (p.getVramBytes() < -1) {
                throw outOfRange("processes[].vramBytes must be -1 (unknown) or more");
            }
        }
        if (s.getSampledAtMs() <= 0) {
            throw new EventDecodingException("MISSING_FIELD", "sampledAtMs is missing or not after the epoch");
        }
        return s;
    }

    private static void requireText(String value, String field) throws EventDecodingException {
        if (value == null || value.isBlank()) {
            throw new EventDecodingException("MISSING_FIELD", field + " is empty");
        }
    }

    private static void latency(double value, String field) throws EventDecodingException {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw outOfRange(field + " is not a finite number");
        }
        if (value < 0) {
            throw outOfRange(field + " is negative");
        }
    }

    private static void notNegative(long value, String field) throws EventDecodingException {
        if (value < 0) {
            throw outOfRange(field + " is negative");
        }
    }

    private static EventDecodingException outOfRange(String why) {
        return new EventDecodingException("OUT_OF_RANGE", why);
    }
}
