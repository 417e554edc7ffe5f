package dev.aimnext.schemas.codec;

import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.InferenceRequest;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroEventCodecTest {

    private final AvroEventCodec<InferenceRequest> codec = AvroEventCodec.of(InferenceRequest.class);

    @Test
    void roundTripsWithSingleObjectHeader() throws Exception {
        InferenceRequest request = request("r-1");
        byte[] bytes = codec.encode(request);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(codec.decode(bytes)).isEqualTo(request);
    }

    @Test
    void v2ReaderDecodesDataWrittenWithTheV1Schema() throws Exception {
        Schema v1 = SchemaHistory.olderVersionsOf("InferenceRequest").get(0);
        assertThat(v1.getField("conversationId")).isNull();
        assertThat(InferenceRequest.getClassSchema().getField("conversationId")).isNotNull();

        GenericRecord message = new GenericData.Record(v1.getField("messages").schema().getElementType());
        message.put("role", "user");
        message.put("content", "hello from v1");
        GenericRecord old = new GenericData.Record(v1);
        old.put("requestId", "old-1");
        old.put("tenant", "acme");
        old.put("route", "/v1/chat/completions");
        old.put("model", "llama");
        old.put("messages", List.of(message));
        old.put("prompt", null);
        old.put("parameters", Map.of("temperature", "0.1"));
        old.put("receivedAtMs", 42L);
        ByteBuffer v1Bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
        byte[] bytes = new byte[v1Bytes.remaining()];
        v1Bytes.get(bytes);

        InferenceRequest decoded = codec.decode(bytes);

        assertThat(decoded.getRequestId()).isEqualTo("old-1");
        assertThat(decoded.getTenant()).isEqualTo("acme");
        assertThat(decoded.getMessages()).containsExactly(new ChatMessage("user", "hello from v1"));
        assertThat(decoded.getParameters()).containsEntry("temperature", "0.1");
        // Fields added in v2 take their defaults.
        assertThat(decoded.getConversationId()).isNull();
        assertThat(decoded.getImageRefs()).isEmpty();
        // The writer fingerprint differs from the current one: resolution really happened.
        assertThat(hex(Arrays.copyOfRange(bytes, 2, 10))).isNotEqualTo(codec.currentFingerprintHex());
    }

    @Test
    void unknownFingerprintIsReportedWithoutThePayload() {
        byte[] gpu = AvroEventCodec.of(GpuSample.class).encode(GpuSample.newBuilder()
                .setNode("n").setGpuId("g").setPartitionId("p").setComputePartitionMode("SPX")
                .setMemoryPartitionMode("NPS1").setVramUsedBytes(1).setVramLimitBytes(2)
                .setSampledAtMs(3).build());

        assertThatThrownBy(() -> codec.decode(gpu))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("is not a known version of InferenceRequest")
                .extracting(e -> ((EventDecodingException) e).reasonCode())
                .isEqualTo("UNKNOWN_SCHEMA");
    }

    @Test
    void truncatedBodyIsMalformed() {
        byte[] full = codec.encode(request("r-2"));
        byte[] truncated = Arrays.copyOf(full, 14);

        assertThatThrownBy(() -> codec.decode(truncated))
                .isInstanceOf(EventDecodingException.class)
                .extracting(e -> ((EventDecodingException) e).reasonCode())
                .isEqualTo("MALFORMED_AVRO");
    }

    @Test
    void missingMarkerAndShortHeaderAreRejected() {
        assertThatThrownBy(() -> codec.decode("{\"a\":1}".getBytes()))
                .hasMessageContaining("marker is missing");
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xC3, 0x01, 0x02}))
                .hasMessageContaining("Avro header is 3 bytes");
    }

    private static InferenceRequest request(String id) {
        return InferenceRequest.newBuilder()
                .setRequestId(id)
                .setTenant("acme")
                .setMessages(List.of(new ChatMessage("user", "hi")))
                .setConversationId("c-1")
                .build();
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
