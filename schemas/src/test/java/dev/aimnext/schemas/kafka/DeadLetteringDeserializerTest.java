package dev.aimnext.schemas.kafka;

import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.InferenceRequest;

import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetteringDeserializerTest {

    /** Stands in for the PII scrubber: overwrites every digit, so tests can see it ran. */
    private static final PayloadScrubber DIGITS = payload -> {
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] >= '0' && payload[i] <= '9') {
                payload[i] = '*';
            }
        }
    };

    private final DeadLetteringDeserializer<InferenceRequest> deserializer =
            new DeadLetteringDeserializer<>(InferenceRequest.class, new InferenceRequestDecoder(1024), DIGITS, 64);

    @Test
    void decodesJsonAndAvroRequests() {
        InferenceRequest avro = InferenceRequest.newBuilder().setRequestId("a-1")
                .setMessages(List.of(new ChatMessage("user", "hello"))).build();

        Either<DeadLetter, InferenceRequest> fromJson =
                decode("{\"id\":\"j-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}".getBytes());
        Either<DeadLetter, InferenceRequest> fromAvro =
                decode(AvroEventCodec.of(InferenceRequest.class).encode(avro));

        assertThat(fromJson.isRight()).isTrue();
        assertThat(fromJson.right().getRequestId()).isEqualTo("j-1");
        assertThat(fromAvro.right()).isEqualTo(avro);
    }

    @Test
    void deadLetterCarriesReasonCoordinatesAndScrubbedTruncatedPayload() {
        byte[] value = ("{\"messages\":[{\"role\":\"user\",\"content\":\"card 4111111111111111 and a long tail "
                + "x".repeat(100)).getBytes(StandardCharsets.UTF_8);

        DeadLetter dead = decode(value).left();

        assertThat(dead.getReasonCode()).isEqualTo("MALFORMED_JSON");
        assertThat(dead.getSourceTopic()).isEqualTo("aim.requests");
        assertThat(dead.getSourcePartition()).isEqualTo(3);
        assertThat(dead.getSourceOffset()).isEqualTo(77L);
        assertThat(dead.getPayloadSize()).isEqualTo(value.length);
        assertThat(dead.getPayloadTruncated()).isTrue();
        assertThat(dead.getPayloadScrubbed()).isTrue();
        String payload = StandardCharsets.ISO_8859_1.decode(dead.getPayload()).toString();
        assertThat(payload).hasSize(64).contains("card ****************").doesNotContain("4111");
    }

    @Test
    void everyKindOfBadInputGetsItsReason() {
        assertThat(reason(new byte[0])).isEqualTo("EMPTY_RECORD");
        assertThat(reason(new byte[2048])).isEqualTo("TOO_LARGE");
        assertThat(reason("hello".getBytes())).isEqualTo("UNKNOWN_FORMAT");
        assertThat(reason("[1]".getBytes())).isEqualTo("UNKNOWN_FORMAT");
        assertThat(reason("{\"messages\":[{\"role\":\"user\",\"content\":\"  \"}]}".getBytes())).isEqualTo("EMPTY_TEXT");
        assertThat(reason("{\"model\":\"x\"}".getBytes())).isEqualTo("EMPTY_TEXT");
        assertThat(reason("{\"messages\":7}".getBytes())).isEqualTo("WRONG_SCHEMA");
        assertThat(reason(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})).isEqualTo("INVALID_UTF8");
        assertThat(reason(new byte[] {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9})).isEqualTo("UNKNOWN_SCHEMA");
    }

    @Test
    void decoderBugsBecomeDeadLettersInsteadOfFailures() {
        DeadLetteringDeserializer<InferenceRequest> buggy = new DeadLetteringDeserializer<>(
                InferenceRequest.class, record -> { throw new IllegalStateException("boom 4111"); }, DIGITS, 64);

        DeadLetter dead = buggy.decodeOrDeadLetter(record("{}".getBytes())).left();

        assertThat(dead.getReasonCode()).isEqualTo("DECODER_ERROR");
        assertThat(dead.getReason()).isEqualTo("decoder failed with IllegalStateException");
    }

    @Test
    void tenThousandRandomByteStringsAllBecomeDeadLettersOrRequests() {
        Random random = new Random(42);
        int deadLetters = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] value = new byte[random.nextInt(300)];
            random.nextBytes(value);
            Either<DeadLetter, InferenceRequest> result = decode(value);
            if (result.isLeft()) {
                deadLetters++;
                assertThat(result.left().getReason()).isNotBlank();
            }
        }
        assertThat(deadLetters).isEqualTo(10_000);
    }

    private Either<DeadLetter, InferenceRequest> decode(byte[] value) {
        return deserializer.decodeOrDeadLetter(record(value));
    }

    private String reason(byte[] value) {
        Either<DeadLetter, InferenceRequest> result = decode(value);
        assertThat(result.isLeft()).as("expected a dead letter").isTrue();
        return result.left().getReasonCode();
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>("aim.requests", 3, 77L, 0L, TimestampType.CREATE_TIME, 0, value.length,
                null, value, new RecordHeaders(), Optional.empty());
    }
}
