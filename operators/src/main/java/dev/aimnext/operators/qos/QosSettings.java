package dev.aimnext.operators.qos;

import dev.aimnext.operators.qos.sketch.LatencySketches;

/**
 * What {@link QosPipeline} needs besides its streams and the SLOs.
 *
 * @param relativeAccuracy DDSketch relative accuracy of the latency quantiles
 * @param telemetryTopic the request telemetry topic, named as the source of late-event dead letters
 * @param outOfOrdernessMs the watermark bound the sources use, quoted in late-event reasons
 * @param deadLetterPayloadBytes how many bytes of a late event its dead letter keeps
 */
public record QosSettings(double relativeAccuracy, String telemetryTopic, long outOfOrdernessMs,
        int deadLetterPayloadBytes) {

    public QosSettings {
        LatencySketches.create(relativeAccuracy); // fails early, with the range, on a bad value
        if (outOfOrdernessMs < 0) {
            throw new IllegalArgumentException("out-of-orderness must not be negative");
        }
    }

    /** 0.5% accuracy, topic {@code aim.telemetry.requests}, 2 s out-of-orderness, 4 KiB payloads. */
    public static QosSettings defaults() {
        return new QosSettings(LatencySketches.DEFAULT_RELATIVE_ACCURACY, "aim.telemetry.requests", 2_000, 4096);
    }
}
