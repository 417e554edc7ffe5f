package dev.aimnext.rocm;

/**
 * The status codes of {@code aim_gpu.h}, one constant per {@code aim_gpu_status}. Every failing
 * native call surfaces as a {@link GpuException} carrying one of these.
 *
 * <p>{@link #message()} is a copy of {@code aim_gpu_strerror} for the Java fallback, which runs
 * without the native library; a test checks the copy against the library, so the two cannot drift.
 * With the library loaded, exceptions carry the library's own text.
 */
public enum GpuStatus {
    OK(0, "success"),
    INVALID_ARGUMENT(1, "invalid argument (NULL handle or pointer, zero or negative size, or unknown enum value)"),
    QUOTA_EXCEEDED(2, "allocation would exceed the pool quota; nothing was allocated"),
    UNKNOWN_POINTER(3, "pointer is not a live allocation of this pool (double free or foreign pointer)"),
    BACKEND_UNAVAILABLE(4, "backend unavailable (not compiled into this library, or no usable device/driver)"),
    OUT_OF_MEMORY(5, "out of memory below the pool quota"),
    SYSFS_PARSE(6, "sysfs partition file is malformed or holds an unknown partition mode"),
    UNAVAILABLE(7, "per-process VRAM unavailable: no NVML / amd-smi / rocm-smi library could be loaded"),
    NO_DEVICE(8, "no such device (index out of range)"),
    NOT_SUPPORTED(9, "operation not supported by this device or backend"),
    IO(10, "sysfs root or directory could not be read"),
    BUFFER_TOO_SMALL(11, "output array too small; the needed count was returned"),
    BACKEND(12, "GPU runtime or management library call failed"),
    INTERNAL(13, "internal error in libaimgpu (a bug)");

    private static final GpuStatus[] BY_CODE = values();

    private final int code;
    private final String message;

    GpuStatus(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The {@code aim_gpu_status} value. */
    public int code() {
        return code;
    }

    /** The {@code aim_gpu_strerror} text (Java copy). */
    public String message() {
        return message;
    }

    /** The C name, e.g. {@code AIM_GPU_ERR_QUOTA_EXCEEDED}, as {@code aim_gpu_status_name} spells it. */
    public String nativeName() {
        return this == OK ? "AIM_GPU_OK" : "AIM_GPU_ERR_" + name();
    }

    /**
     * The constant for a code. A code this binding does not know (a newer library) maps to {@link
     * #INTERNAL}, so it still fails loudly instead of passing as success.
     */
    public static GpuStatus fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : INTERNAL;
    }
}
