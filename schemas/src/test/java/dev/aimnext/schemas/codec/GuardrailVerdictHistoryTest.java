package dev.aimnext.schemas.codec;

import dev.aimnext.schemas.event.GuardrailAction;
import dev.aimnext.schemas.event.GuardrailStage;
import dev.aimnext.schemas.event.GuardrailVerdict;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Verdicts written before modelVersions existed (v1) still decode, with an empty map. */
class GuardrailVerdictHistoryTest {

    @Test
    void v2ReaderDecodesV1VerdictsWithEmptyModelVersions() throws Exception {
        Schema v1 = SchemaHistory.olderVersionsOf("GuardrailVerdict").get(0);
        assertThat(v1.getField("modelVersions")).isNull();
        GenericRecord old = new GenericData.Record(v1);
        old.put("requestId", "v1-verdict");
        old.put("tenant", "acme");
        old.put("stage", new GenericData.EnumSymbol(v1.getField("stage").schema(), "INPUT"));
        old.put("action", new GenericData.EnumSymbol(v1.getField("action").schema(), "REDACT"));
        old.put("findings", List.of());
        old.put("scores", Map.of("pii", 0.9));
        old.put("policyVersion", "default-1");
        old.put("latencyMicros", 120L);
        old.put("decidedAtMs", 7L);
        old.put("chunkIndex", null);
        old.put("reason", "redact: 1x EMAIL_ADDRESS (mask)");
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);

        GuardrailVerdict decoded = AvroEventCodec.of(GuardrailVerdict.class).decode(bytes);

        assertThat(decoded.getRequestId()).isEqualTo("v1-verdict");
        assertThat(decoded.getStage()).isEqualTo(GuardrailStage.INPUT);
        assertThat(decoded.getAction()).isEqualTo(GuardrailAction.REDACT);
        assertThat(decoded.getScores()).containsEntry("pii", 0.9);
        assertThat(decoded.getModelVersions()).isEmpty();
    }

    @Test
    void currentVerdictsCarryModelVersions() throws Exception {
        GuardrailVerdict verdict = GuardrailVerdict.newBuilder().setRequestId("r").setTenant("t")
                .setStage(GuardrailStage.INPUT).setAction(GuardrailAction.BLOCK).setPolicyVersion("default-2")
                .setLatencyMicros(1).setDecidedAtMs(2).setScores(Map.of("prompt_injection", 0.97))
                .setModelVersions(Map.of("prompt_injection", "guard-minilm-1")).build();
        AvroEventCodec<GuardrailVerdict> codec = AvroEventCodec.of(GuardrailVerdict.class);

        assertThat(codec.decode(codec.encode(verdict)).getModelVersions())
                .containsExactlyEntriesOf(Map.of("prompt_injection", "guard-minilm-1"));
    }
}
