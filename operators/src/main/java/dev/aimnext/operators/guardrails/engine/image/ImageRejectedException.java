package dev.aimnext.operators.guardrails.engine.image;

/**
 * An image input that cannot be classified: a reference that is not allowed (a network URL, a
 * file outside the allowed root), a malformed data URL or base64 string, too many bytes or
 * pixels, or bytes no decoder accepts. Unlike a {@code ModelPackException} this is about one
 * request, so a stage rejects that record and goes on. Messages never contain the image data.
 */
public final class ImageRejectedException extends RuntimeException {

    /** Why an image was rejected; stable names for verdicts and metrics. */
    public enum Reason {
        /** Empty or blank reference. */
        EMPTY,
        /** A {@code data:} URL that is not {@code data:image/<type>;base64,<data>}. */
        MALFORMED_DATA_URL,
        /** Neither a data URL, a file reference nor valid base64. */
        MALFORMED_BASE64,
        /** http(s) or another network scheme: images are never fetched. */
        REMOTE_REFERENCE,
        /** A URL scheme other than {@code data:} and {@code file:}. */
        UNSUPPORTED_REFERENCE,
        /** A file reference while no allowed root is configured. */
        FILE_REFERENCES_DISABLED,
        /** A file reference that resolves outside the allowed root (symbolic links followed). */
        OUTSIDE_ALLOWED_ROOT,
        /** A file reference to something missing, unreadable or not a regular file. */
        FILE_NOT_READABLE,
        /** More encoded bytes than allowed. */
        TOO_MANY_BYTES,
        /** More pixels than allowed, read from the header before decoding. */
        TOO_MANY_PIXELS,
        /** An image format other than PNG, JPEG, BMP or GIF. */
        UNSUPPORTED_FORMAT,
        /** Bytes the decoder could not read. */
        UNDECODABLE
    }

    private final Reason reason;

    public ImageRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the image was rejected. */
    public Reason reason() {
        return reason;
    }
}
