package dev.aimnext.operators.qos.window;

import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.types.Either;

import java.time.Duration;

/**
 * Event-time strategies for the telemetry sources. Used on the source itself, so Kafka partitions
 * get their own watermarks and a lagging partition does not turn another's events late. Dead letters
 * have no event time and do not move the watermark. An idle partition stops holding the watermark
 * back after {@code idleness}.
 */
public final class TelemetryWatermarks {

    private TelemetryWatermarks() {}

    public static WatermarkStrategy<Either<DeadLetter, RequestTelemetry>> requests(Duration outOfOrderness,
            Duration idleness) {
        return WatermarkStrategy.<Either<DeadLetter, RequestTelemetry>>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((e, previous) -> e.isRight() ? e.right().getEventTimeMs() : Long.MIN_VALUE)
                .withIdleness(idleness);
    }

    public static WatermarkStrategy<Either<DeadLetter, GpuSample>> gpuSamples(Duration outOfOrderness,
            Duration idleness) {
        return WatermarkStrategy.<Either<DeadLetter, GpuSample>>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((e, previous) -> e.isRight() ? e.right().getSampledAtMs() : Long.MIN_VALUE)
                .withIdleness(idleness);
    }
}
