package dev.aimnext.schemas.json;

import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestPriority;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TelemetryJsonDecoderTest {

    static final String REQUEST = "{\"requestId\":\"r-1\",\"model\":\"llama\",\"partitionId\":\"gpu0/cpx3\","
            + "\"ttftMs\":120.5,\"tpotMs\":21,\"e2eMs\":900,\"promptTokens\":30,\"completionTokens\":40,"
            + "\"eventTimeMs\":1700000000000";

    private final TelemetryJsonDecoder decoder = new TelemetryJsonDecoder();

    @Test
    void decodesRequestWithDefaultsForOptionalFields() throws Exception {
        RequestTelemetry t = decoder.decodeRequest(REQUEST + "}");

        assertThat(t.getRequestId()).isEqualTo("r-1");
        assertThat(t.getPartitionId()).isEqualTo("gpu0/cpx3");
        assertThat(t.getTtftMs()).isEqualTo(120.5);
        assertThat(t.getTpotMs()).isEqualTo(21.0);
        assertThat(t.getCompletionTokens()).isEqualTo(40);
        assertThat(t.getEventTimeMs()).isEqualTo(1_700_000_000_000L);
        assertThat(t.getPriority()).isEqualTo(RequestPriority.NORMAL);
        assertThat(t.getStatus()).isEqualTo(RequestStatus.OK);
        assertThat(t.getGpuId()).isEmpty();
    }

    @Test
    void readsEnumsInAnyCase() throws Exception {
        RequestTelemetry t = decoder.decodeRequest(REQUEST + ",\"priority\":\"high\",\"status\":\"Timeout\"}");

        assertThat(t.getPriority()).isEqualTo(RequestPriority.HIGH);
        assertThat(t.getStatus()).isEqualTo(RequestStatus.TIMEOUT);
    }

    @Test
    void unknownFieldIsRejectedByName() {
        assertThatThrownBy(() -> decoder.decodeRequest(REQUEST + ",\"ttft_ms\":3}"))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining("'ttft_ms'")
                .extracting(e -> ((EventDecodingException) e).reasonCode()).isEqualTo("UNKNOWN_FIELD");
    }

    @Test
    void wrongTypesAreRejectedWithoutQuotingTheValue() {
        assertReason(REQUEST.replace("\"ttftMs\":120.5", "\"ttftMs\":\"fast-secret\"") + "}", "WRONG_TYPE",
                "RequestTelemetry.ttftMs must be a number, got string");
        assertReason(REQUEST.replace("\"completionTokens\":40", "\"completionTokens\":4.5") + "}", "WRONG_TYPE",
                "completionTokens");
        assertReason(REQUEST.replace("\"model\":\"llama\"", "\"model\":7") + "}", "WRONG_TYPE", "model");
        assertReason(REQUEST + ",\"status\":\"EXPLODED\"}", "WRONG_TYPE", "status must be one of");
        assertReason("[1,2]", "WRONG_TYPE", "must be a JSON object");
        assertThatThrownBy(() -> decoder.decodeRequest(
                REQUEST.replace("\"ttftMs\":120.5", "\"ttftMs\":\"fast-secret\"") + "}"))
                .message().doesNotContain("fast-secret");
    }

    @Test
    void missingRequiredFieldAndMalformedJsonAreNamed() {
        assertReason(REQUEST.replace(",\"eventTimeMs\":1700000000000", "") + "}", "MISSING_FIELD", "eventTimeMs");
        assertReason(REQUEST.replace("\"e2eMs\":900", "\"e2eMs\":null") + "}", "MISSING_FIELD", "e2eMs");
        assertReason(REQUEST, "MALFORMED_JSON", "line 1");
        assertReason(REQUEST + ",\"model\":\"other\"}", "MALFORMED_JSON", "malformed");
        assertReason(REQUEST + "} {}", "MALFORMED_JSON", "malformed");
    }

    @Test
    void decodesGpuSampleWithProcesses() throws Exception {
        GpuSample s = decoder.decodeGpuSample("{\"node\":\"n1\",\"gpuId\":\"0000:03:00.0\",\"partitionId\":\"2\","
                + "\"computePartitionMode\":\"CPX\",\"memoryPartitionMode\":\"NPS4\",\"vramUsedBytes\":1000,"
                + "\"vramLimitBytes\":25769803776,\"activityPct\":null,\"sampledAtMs\":1700000000000,"
                + "\"processes\":[{\"pid\":42,\"name\":\"vllm\",\"vramBytes\":1000,\"model\":\"llama\"}]}");

        assertThat(s.getVramLimitBytes()).isEqualTo(25_769_803_776L);
        assertThat(s.getActivityPct()).isNull();
        assertThat(s.getBackend()).isEqualTo("host");
        assertThat(s.getProcesses()).hasSize(1);
        assertThat(s.getProcesses().get(0).getModel()).isEqualTo("llama");
    }

    @Test
    void gpuSampleProcessesAreStrictToo() {
        String base = "{\"node\":\"n1\",\"gpuId\":\"g\",\"partitionId\":\"0\",\"computePartitionMode\":\"SPX\","
                + "\"memoryPartitionMode\":\"NPS1\",\"vramUsedBytes\":1,\"vramLimitBytes\":2,\"sampledAtMs\":5,";
        assertThatThrownBy(() -> decoder.decodeGpuSample(
                base + "\"processes\":[{\"pid\":1,\"name\":\"x\",\"vramBytes\":1,\"gpu\":0}]}"))
                .hasMessageContaining("GpuSample.processes[0]")
                .hasMessageContaining("'gpu'");
        assertThatThrownBy(() -> decoder.decodeGpuSample(base + "\"processes\":[7]}"))
                .hasMessageContaining("processes[0] must be an object");
    }

    private void assertReason(String json, String code, String text) {
        assertThatThrownBy(() -> decoder.decodeRequest(json))
                .isInstanceOf(EventDecodingException.class)
                .hasMessageContaining(text)
                .extracting(e -> ((EventDecodingException) e).reasonCode()).isEqualTo(code);
    }
}
