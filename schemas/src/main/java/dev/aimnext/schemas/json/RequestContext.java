package dev.aimnext.schemas.json;

/**
 * What the transport knows about a request besides its body: Kafka headers and a deterministic
 * fallback id. Header values win over nothing, but body fields win over headers, because the gateway
 * that wrote the body is the more specific source.
 *
 * @param fallbackRequestId id to use when neither the body nor a header has one; derived from the
 *     record's coordinates so a replay yields the same id
 * @param headerRequestId value of the {@code aim-request-id} header, or null
 * @param headerTenant value of the {@code aim-tenant} header, or null
 * @param headerRoute value of the {@code aim-route} header, or null
 * @param timestampMs the record timestamp, used when the body has no receive time
 */
public record RequestContext(
        String fallbackRequestId,
        String headerRequestId,
        String headerTenant,
        String headerRoute,
        long timestampMs) {

    public static RequestContext offline(String fallbackRequestId) {
        return new RequestContext(fallbackRequestId, null, null, null, System.currentTimeMillis());
    }
}
