package dev.aimnext.schemas.kafka;

import dev.aimnext.schemas.event.DeadLetter;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Builds {@link DeadLetter} events with a truncated, scrubbed copy of the payload. */
public final class DeadLetters {

    private DeadLetters() {}

    public static DeadLetter of(
            String reasonCode,
            String reason,
            String topic,
            int partition,
            long offset,
            byte[] value,
            int maxPayloadBytes,
            PayloadScrubber scrubber) {
        byte[] raw = value == null ? new byte[0] : value;
        int keep = Math.min(raw.length, maxPayloadBytes);
        byte[] payload = Arrays.copyOf(raw, keep);
        boolean scrubbed = scrubber != PayloadScrubber.NONE;
        scrubber.scrub(payload);
        return DeadLetter.newBuilder()
                .setReasonCode(reasonCode)
                .setReason(reason)
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setPayload(ByteBuffer.wrap(payload))
                .setPayloadSize(raw.length)
                .setPayloadTruncated(keep < raw.length)
                .setPayloadScrubbed(scrubbed)
                .setFailedAtMs(System.currentTimeMillis())
                .build();
    }
}
