package dev.aimnext.schemas.kafka;

import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestTelemetry;
import dev.aimnext.schemas.json.StrictUtf8;
import dev.aimnext.schemas.json.TelemetryJsonDecoder;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.apache.avro.specific.SpecificRecordBase;

/**
 * Decodes {@code aim.telemetry.requests} and {@code aim.telemetry.gpu} records: Avro single-object
 * encoding when the value starts with {@code C3 01}, strict JSON ({@link TelemetryJsonDecoder}) when
 * it starts with <code>{</code>, {@code UNKNOWN_FORMAT} otherwise; then the range checks of {@link
 * TelemetryValidator}, so both encodings are held to the same rules.
 */
public final class TelemetryRecordDecoder<T extends SpecificRecordBase> implements RecordDecoder<T> {

    private static final long serialVersionUID = 1L;

    /** Which event a topic carries; decides the JSON reader and the checks. */
    private enum Kind { REQUEST, GPU_SAMPLE }

    private final Kind kind;
    private final Class<T> type;
    private final int maxRecordBytes;
    private final AvroEventCodec<T> avro;
    private final TelemetryJsonDecoder json = new TelemetryJsonDecoder();

    private TelemetryRecordDecoder(Kind kind, Class<T> type, int maxRecordBytes) {
        this.kind = kind;
        this.type = type;
        this.maxRecordBytes = maxRecordBytes;
        this.avro = AvroEventCodec.of(type);
    }

    /** @param maxRecordBytes larger values are rejected (TOO_LARGE) before parsing */
    public static TelemetryRecordDecoder<RequestTelemetry> requests(int maxRecordBytes) {
        return new TelemetryRecordDecoder<>(Kind.REQUEST, RequestTelemetry.class, maxRecordBytes);
    }

    /** @param maxRecordBytes larger values are rejected (TOO_LARGE) before parsing */
    public static TelemetryRecordDecoder<GpuSample> gpuSamples(int maxRecordBytes) {
        return new TelemetryRecordDecoder<>(Kind.GPU_SAMPLE, GpuSample.class, maxRecordBytes);
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public T decode(ConsumerRecord<byte[], byte[]> record) throws EventDecodingException {
        return decode(record.value());
    }

    /** Decodes and validates one record value. */
    public T decode(byte[] value) throws EventDecodingException {
        if (value == null || value.length == 0) {
            throw new EventDecodingException("EMPTY_RECORD", "record value is empty");
        }
        if (value.length > maxRecordBytes) {
            throw new EventDecodingException("TOO_LARGE",
                    "record value is " + value.length + " bytes, above the limit of " + maxRecordBytes);
        }
        Object event;
        if (AvroEventCodec.looksLikeSingleObject(value)) {
            event = avro.decode(value);
        } else if (startsLikeJsonObject(value)) {
            String text = StrictUtf8.decode(value);
            event = kind == Kind.REQUEST ? json.decodeRequest(text) : json.decodeGpuSample(text);
        } else {
            throw new EventDecodingException(
                    "UNKNOWN_FORMAT", "value is neither Avro single-object encoding nor a JSON object");
        }
        return type.cast(kind == Kind.REQUEST
                ? TelemetryValidator.validate((RequestTelemetry) event)
                : TelemetryValidator.validate((GpuSample) event));
    }

    private static boolean startsLikeJsonObject(byte[] value) {
        for (byte b : value) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return false;
    }
}
