package dev.aimnext.schemas.json;

import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.GpuProcess;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestPriority;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the JSON form of the telemetry events, {@link RequestTelemetry} and {@link GpuSample}.
 * Field names are the Avro field names ({@code requestId}, {@code ttftMs}, {@code vramUsedBytes},
 * ...), and the reading is strict, because telemetry comes from machines, not people: an unknown
 * field ({@code UNKNOWN_FIELD}), a value of the wrong JSON type ({@code WRONG_TYPE}), a missing
 * required field ({@code MISSING_FIELD}) or a duplicate key ({@code MALFORMED_JSON}) rejects the
 * record. Fields with an Avro default may be left out. Ranges are checked separately, for both
 * encodings, by {@code dev.aimnext.schemas.kafka.TelemetryValidator}.
 */
public final class TelemetryJsonDecoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private transient ObjectMapper mapper;

    public RequestTelemetry decodeRequest(String json) throws EventDecodingException {
        StrictJsonObject o = StrictJsonObject.root(parse(json), "RequestTelemetry");
        RequestTelemetry telemetry = RequestTelemetry.newBuilder()
                .setRequestId(o.requiredString("requestId"))
                .setModel(o.requiredString("model"))
                .setNode(o.optionalString("node", ""))
                .setGpuId(o.optionalString("gpuId", ""))
                .setPartitionId(o.requiredString("partitionId"))
                .setPriority(symbol(RequestPriority.class, o.optionalString("priority", "NORMAL"), "priority"))
                .setTtftMs(o.requiredDouble("ttftMs"))
                .setTpotMs(o.requiredDouble("tpotMs"))
                .setE2eMs(o.requiredDouble("e2eMs"))
                .setPromptTokens(o.requiredInt("promptTokens"))
                .setCompletionTokens(o.requiredInt("completionTokens"))
                .setStatus(symbol(RequestStatus.class, o.optionalString("status", "OK"), "status"))
                .setEventTimeMs(o.requiredLong("eventTimeMs"))
                .build();
        o.rejectUnread();
        return telemetry;
    }

    public GpuSample decodeGpuSample(String json) throws EventDecodingException {
        StrictJsonObject o = StrictJsonObject.root(parse(json), "GpuSample");
        List<GpuProcess> processes = new ArrayList<>();
        int index = 0;
        for (JsonNode element : o.optionalArray("processes")) {
            StrictJsonObject p = o.element("processes", index++, element);
            processes.add(GpuProcess.newBuilder()
                    .setPid(p.requiredInt("pid"))
                    .setName(p.requiredString("name"))
                    .setVramBytes(p.requiredLong("vramBytes"))
                    .setModel(p.optionalString("model", null))
                    .build());
            p.rejectUnread();
        }
        GpuSample sample = GpuSample.newBuilder()
                .setNode(o.requiredString("node"))
                .setGpuId(o.requiredString("gpuId"))
                .setPartitionId(o.requiredString("partitionId"))
                .setComputePartitionMode(o.requiredString("computePartitionMode"))
                .setMemoryPartitionMode(o.requiredString("memoryPartitionMode"))
                .setVramUsedBytes(o.requiredLong("vramUsedBytes"))
                .setVramLimitBytes(o.requiredLong("vramLimitBytes"))
                .setActivityPct(o.optionalDouble("activityPct"))
                .setProcesses(processes)
                .setBackend(o.optionalString("backend", "host"))
                .setSampledAtMs(o.requiredLong("sampledAtMs"))
                .build();
        o.rejectUnread();
        return sample;
    }

    private JsonNode parse(String json) throws EventDecodingException {
        try {
            JsonNode root = mapper().readTree(json);
            if (root == null || root.isMissingNode()) {
                throw new EventDecodingException("MALFORMED_JSON", "empty JSON document");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            throw new EventDecodingException("MALFORMED_JSON", "malformed JSON" + where);
        }
    }

    private static <E extends Enum<E>> E symbol(Class<E> type, String text, String field)
            throws EventDecodingException {
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(text)) {
                return value;
            }
        }
        throw new EventDecodingException(
                "WRONG_TYPE", field + " must be one of " + List.of(type.getEnumConstants()));
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            mapper = new ObjectMapper();
            mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
            // A repeated key would otherwise let the last value win unnoticed.
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }
        return mapper;
    }
}
