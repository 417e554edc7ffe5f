package dev.aimnext.schemas.kafka;

import dev.aimnext.schemas.codec.AvroEventCodec;
import dev.aimnext.schemas.codec.EventDecodingException;
import dev.aimnext.schemas.event.ChatMessage;
import dev.aimnext.schemas.event.InferenceRequest;
import dev.aimnext.schemas.json.ChatRequestJsonDecoder;
import dev.aimnext.schemas.json.RequestContext;
import dev.aimnext.schemas.json.StrictUtf8;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;

/**
 * Decodes {@code aim.requests} records: Avro single-object encoding when the value starts with the
 * {@code C3 01} marker, OpenAI-style JSON when it starts with {@code {}, and a dead-letter reason
 * for anything else. Request id, tenant and route fall back to the {@code aim-request-id}, {@code
 * aim-tenant} and {@code aim-route} headers. A request must carry some text to check.
 */
public final class InferenceRequestDecoder implements RecordDecoder<InferenceRequest> {

    private static final long serialVersionUID = 1L;

    public static final String HEADER_REQUEST_ID = "aim-request-id";
    public static final String HEADER_TENANT = "aim-tenant";
    public static final String HEADER_ROUTE = "aim-route";

    private final int maxRecordBytes;
    private final AvroEventCodec<InferenceRequest> avro = AvroEventCodec.of(InferenceRequest.class);
    private final ChatRequestJsonDecoder json = new ChatRequestJsonDecoder();

    /** @param maxRecordBytes larger values are rejected before parsing, to bound the work per record */
    public InferenceRequestDecoder(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    @Override
    public InferenceRequest decode(ConsumerRecord<byte[], byte[]> record)
            throws EventDecodingException {
        byte[] value = record.value();
        if (value == null || value.length == 0) {
            throw new EventDecodingException("EMPTY_RECORD", "record value is empty");
        }
        if (value.length > maxRecordBytes) {
            throw new EventDecodingException(
                    "TOO_LARGE",
                    "record value is "
                            + value.length
                            + " bytes, above the limit of "
                            + maxRecordBytes
                            + " (aim.requests.max-record-bytes)");
        }
        RequestContext context =
                new RequestContext(
                        "aim-" + record.topic() + "-" + record.partition() + "-" + record.offset(),
                        header(record, HEADER_REQUEST_ID),
                        header(record, HEADER_TENANT),
                        header(record, HEADER_ROUTE),
                        record.timestamp());
        InferenceRequest request;
        if (AvroEventCodec.looksLikeSingleObject(value)) {
            request = avro.decode(value);
        } else if (startsLikeJsonObject(value)) {
            request = json.decode(StrictUtf8.decode(value), context);
        } else {
            throw new EventDecodingException(
                    "UNKNOWN_FORMAT",
                    "value is neither Avro single-object encoding nor a JSON object");
        }
        return validate(request);
    }

    /** Checks that every forwarded request has an id and something for the guardrails to read. */
    public static InferenceRequest validate(InferenceRequest request) throws EventDecodingException {
        if (request.getRequestId() == null || request.getRequestId().isBlank()) {
            throw new EventDecodingException("MISSING_FIELD", "request id is empty");
        }
        boolean hasText = request.getPrompt() != null && !request.getPrompt().isBlank();
        for (ChatMessage message : request.getMessages()) {
            hasText |= !message.getContent().isBlank();
        }
        if (!hasText) {
            throw new EventDecodingException(
                    "EMPTY_TEXT", "request has no text: messages and prompt are missing or empty");
        }
        return request;
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

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        if (header == null || header.value() == null) {
            return null;
        }
        String value = new String(header.value(), StandardCharsets.UTF_8).strip();
        return value.isEmpty() ? null : value;
    }
}
