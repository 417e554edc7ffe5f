package dev.aimnext.rocm;

/**
 * A native call failed. The message is the library's {@code aim_gpu_strerror} text for the code,
 * followed by the call's detail (for example the CUDA error string or the {@code dlopen} message),
 * so a log line says both what kind of failure it was and what exactly happened.
 *
 * <p>Misuse that Java can see by itself (a freed allocation, a closed pool, a size that is not
 * positive) is reported as {@link IllegalStateException} or {@link IllegalArgumentException}
 * before any native call, not as this exception.
 */
public class GpuException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final GpuStatus status;
    private final String reason;
    private final String detail;

    /**
     * @param status the library's code
     * @param reason {@code aim_gpu_strerror(status)}
     * @param detail {@code aim_gpu_last_error_detail()} of the failing call; may be empty
     */
    public GpuException(GpuStatus status, String reason, String detail) {
        super(detail == null || detail.isEmpty() ? reason : reason + ": " + detail);
        this.status = status;
        this.reason = reason;
        this.detail = detail == null ? "" : detail;
    }

    public GpuStatus status() {
        return status;
    }

    /** The {@code aim_gpu_strerror} text alone. */
    public String reason() {
        return reason;
    }

    /** The detail of the failing call alone; empty when the library gave none. */
    public String detail() {
        return detail;
    }
}
