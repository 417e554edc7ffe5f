package dev.aimnext.operators.qos.window;

import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.RequestTelemetry;
import dev.aimnext.schemas.kafka.DeadLetters;
import dev.aimnext.schemas.kafka.PayloadScrubber;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns telemetry that arrived after the watermark had closed its 10-second window into dead
 * letters with reason {@code LATE_EVENT}, and counts it as {@code aim_qos_late_events}. A late event
 * is not lost: the dead letter carries the event, Avro-encoded, for replay or inspection. The
 * Kafka coordinates are gone by the time lateness is known, so partition and offset are -1.
 * Telemetry holds no prompt text, so the payload needs no PII scrubbing.
 */
public final class LateEventDeadLetters extends ProcessFunction<RequestTelemetry, DeadLetter> {

    private static final long serialVersionUID = 1L;

    public static final String REASON_CODE = "LATE_EVENT";

    private final String sourceTopic;
    private final long outOfOrdernessMs;
    private final int maxPayloadBytes;
    private final AvroEventCodec<RequestTelemetry> codec = AvroEventCodec.of(RequestTelemetry.class);
    private transient Counter late;

    /**
     * @param sourceTopic the telemetry topic, recorded as the dead letter's source
     * @param outOfOrdernessMs the configured bound, quoted in the reason so operators know what to raise
     */
    public LateEventDeadLetters(String sourceTopic, long outOfOrdernessMs, int maxPayloadBytes) {
        this.sourceTopic = sourceTopic;
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @Override
    public void open(OpenContext openContext) {
        late = getRuntimeContext().getMetricGroup().addGroup("aim_qos").counter("late_events");
    }

    @Override
    public void processElement(RequestTelemetry t, Context ctx, Collector<DeadLetter> out) {
        late.inc();
        long watermark = ctx.timerService().currentWatermark();
        String reason = "event time " + t.getEventTimeMs() + " is behind the watermark " + watermark
                + " by more than its window allows (out-of-orderness bound " + outOfOrdernessMs + " ms)";
        out.collect(DeadLetters.of(REASON_CODE, reason, sourceTopic, -1, -1L, codec.encode(t), maxPayloadBytes,
                PayloadScrubber.NONE));
    }
}
