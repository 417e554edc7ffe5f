package dev.aimnext.schemas.kafka;

import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.DeadLetter;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.apache.flink.types.Either;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelemetryRecordDecoderTest {

    private final TelemetryRecordDecoder<RequestTelemetry> requests = TelemetryRecordDecoder.requests(4096);
    private final TelemetryRecordDecoder<GpuSample> gpu = TelemetryRecordDecoder.gpuSamples(4096);

    static RequestTelemetry.Builder valid() {
        return RequestTelemetry.newBuilder().setRequestId("r-1").setModel("m").setPartitionId("gpu0/cpx0")
                .setTtftMs(100).setTpotMs(20).setE2eMs(500).setPromptTokens(10).setCompletionTokens(20)
                .setEventTimeMs(1_700_000_000_000L);
    }

    @Test
    void avroAndJsonDecodeToTheSameEvent() throws Exception {
        RequestTelemetry event = valid().build();
        byte[] avro = AvroEventCodec.of(RequestTelemetry.class).encode(event);
        byte[] json = ("  {\"requestId\":\"r-1\",\"model\":\"m\",\"partitionId\":\"gpu0/cpx0\",\"ttftMs\":100,"
                + "\"tpotMs\":20,\"e2eMs\":500,\"promptTokens\":10,\"completionTokens\":20,"
                + "\"eventTimeMs\":1700000000000}").getBytes(StandardCharsets.UTF_8);

        assertThat(requests.decode(avro)).isEqualTo(event);
        assertThat(requests.decode(json)).isEqualTo(event);
    }

    @Test
    void rangeChecksApplyToAvroToo() {
        assertCode(valid().setTtftMs(-1).build(), "OUT_OF_RANGE", "ttftMs is negative");
        assertCode(valid().setE2eMs(Double.NaN).build(), "OUT_OF_RANGE", "e2eMs is not a finite number");
        assertCode(valid().setE2eMs(50).build(), "OUT_OF_RANGE", "e2eMs is below ttftMs");
        assertCode(valid().setCompletionTokens(-3).build(), "OUT_OF_RANGE", "completionTokens is negative");
        assertCode(valid().setEventTimeMs(0).build(), "MISSING_FIELD", "eventTimeMs is missing or not after the epoch");
        assertCode(valid().setModel(" ").build(), "MISSING_FIELD", "model is empty");
    }

    @Test
    void garbageEmptyAndOversizedRecordsHaveTheirOwnCodes() {
        assertThat(code(requests, new byte[] {1, 2, 3})).isEqualTo("UNKNOWN_FORMAT");
        assertThat(code(requests, new byte[0])).isEqualTo("EMPTY_RECORD");
        assertThat(code(requests, new byte[] {(byte) 0xC3, 0x01, 9, 9, 9, 9, 9, 9, 9, 9, 1}))
                .isEqualTo("UNKNOWN_SCHEMA");
        assertThat(code(requests, ("{\"x\":\"" + "a".repeat(5000) + "\"}").getBytes())).isEqualTo("TOO_LARGE");
        assertThat(code(requests, new byte[] {'{', (byte) 0xFF})).isEqualTo("INVALID_UTF8");
    }

    @Test
    void gpuSamplesAreCheckedForTheirRanges() throws Exception {
        GpuSample.Builder sample = GpuSample.newBuilder().setNode("n").setGpuId("g").setPartitionId("0")
                .setComputePartitionMode("SPX").setMemoryPartitionMode("NPS1").setVramUsedBytes(-1)
                .setVramLimitBytes(100).setProcesses(List.of()).setSampledAtMs(5);
        AvroEventCodec<GpuSample> codec = AvroEventCodec.of(GpuSample.class);

        assertThat(gpu.decode(codec.encode(sample.build())).getVramUsedBytes()).isEqualTo(-1L); // unknown usage
        assertThat(code(gpu, codec.encode(sample.setVramUsedBytes(-5).build()))).isEqualTo("OUT_OF_RANGE");
        assertThat(code(gpu, codec.encode(sample.setVramUsedBytes(5).setVramLimitBytes(0).build())))
                .isEqualTo("OUT_OF_RANGE");
        assertThat(code(gpu, codec.encode(sample.setVramLimitBytes(10).setActivityPct(140.0).build())))
                .isEqualTo("OUT_OF_RANGE");
    }

    @Test
    void deadLetteringDeserializerTurnsRejectionsIntoDeadLetters() {
        DeadLetteringDeserializer<RequestTelemetry> deserializer =
                new DeadLetteringDeserializer<>(RequestTelemetry.class, requests, PayloadScrubber.NONE, 64);
        byte[] value = AvroEventCodec.of(RequestTelemetry.class).encode(valid().setTpotMs(-2).build());

        Either<DeadLetter, RequestTelemetry> out =
                deserializer.decodeOrDeadLetter(new ConsumerRecord<>("aim.telemetry.requests", 1, 9L, null, value));

        assertThat(out.isLeft()).isTrue();
        assertThat(out.left().getReasonCode()).isEqualTo("OUT_OF_RANGE");
        assertThat(out.left().getReason()).isEqualTo("tpotMs is negative");
        assertThat(out.left().getSourceOffset()).isEqualTo(9L);
    }

    private void assertCode(RequestTelemetry event, String code, String message) {
        byte[] avro = AvroEventCodec.of(RequestTelemetry.class).encode(event);
        assertThatThrownBy(() -> requests.decode(avro))
                .isInstanceOf(EventDecodingException.class)
                .hasMessage(message)
                .extracting(e -> ((EventDecodingException) e).reasonCode()).isEqualTo(code);
    }

    private static String code(TelemetryRecordDecoder<?> decoder, byte[] value) {
        try {
            decoder.decode(value);
            return "ACCEPTED";
        } catch (EventDecodingException e) {
            return e.reasonCode();
        }
    }
}
