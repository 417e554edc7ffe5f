package dev.aimnext.schemas.codec;

/**
 * A record could not be turned into an event. The message is safe to publish: it describes what is
 * wrong with the bytes and never quotes them, because a payload may hold PII.
 */
public class EventDecodingException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String reasonCode;

    public EventDecodingException(String reasonCode, String reason) {
        super(reason);
        this.reasonCode = reasonCode;
    }

    /** Stable code for dashboards and alert rules, e.g. {@code MALFORMED_JSON}. */
    public String reasonCode() {
        return reasonCode;
    }
}
