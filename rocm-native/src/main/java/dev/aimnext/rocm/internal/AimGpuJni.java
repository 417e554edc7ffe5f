package dev.aimnext.rocm.internal;

/**
 * The native methods of {@code libaimgpu_jni.so}, one per {@code aim_gpu.h} call that the binding
 * needs. The shapes are deliberately primitive: every method returns the library's status code and
 * writes its results into arrays the caller passes in, so the C side never constructs Java objects
 * or throws, and all mapping to Java types and exceptions stays in {@link JniGpuBinding}, where it
 * can be read and tested.
 *
 * <p>Pool handles are opaque {@code long}s from a table in the glue (slot index plus generation),
 * not raw pointers: a stale or forged handle is refused with {@code AIM_GPU_ERR_INVALID_ARGUMENT}
 * instead of being dereferenced.
 *
 * <p>This class depends on nothing but the JDK, so the Makefile can run {@code javac -h} on this one
 * file to generate the header that the C glue is compiled against.
 */
public final class AimGpuJni {

    /** Longs per device in {@link #sysfsScan} and {@link #deviceScan} results. */
    public static final int DEVICE_LONGS = 11;

    /** Strings per device (name, bus id). */
    public static final int DEVICE_STRINGS = 2;

    /** Longs in a {@link #poolStats} result. */
    public static final int STATS_LONGS = 11;

    /** Longs in a {@link #backendQuery} result. */
    public static final int BACKEND_LONGS = 6;

    private AimGpuJni() {}

    /** {@code aim_gpu_version()}. */
    static native String version();

    /** {@code aim_gpu_strerror(status)}. */
    static native String strerror(int status);

    /** {@code aim_gpu_status_name(status)}. */
    static native String statusName(int status);

    /**
     * Detail of the last failing call on this thread: the glue's own detail for handle and array
     * checks, else {@code aim_gpu_last_error_detail()}.
     */
    static native String lastErrorDetail();

    /**
     * {@code aim_gpu_backend_query}. numbers receives compiled, usable, device count, runtime
     * version, driver version, pool cap enforced by runtime; detail[0] receives the detail text.
     */
    static native int backendQuery(int backend, long[] numbers, String[] detail);

    /** {@code aim_gpu_pool_create}; handle[0] receives the pool handle. */
    static native int poolCreate(int backend, int device, long quotaBytes, long releaseThresholdBytes, long[] handle);

    /** {@code aim_gpu_pool_alloc}; address[0] receives the pointer. */
    static native int poolAlloc(long pool, long size, long[] address);

    /** {@code aim_gpu_pool_free}. */
    static native int poolFree(long pool, long address);

    /** {@code aim_gpu_pool_stats_get}; see {@link #STATS_LONGS} for the order. */
    static native int poolStats(long pool, long[] stats);

    /** {@code aim_gpu_pool_destroy}; outstanding[0] receives the live allocations it freed. */
    static native int poolDestroy(long pool, long[] outstanding);

    /**
     * {@code aim_gpu_sysfs_scan}; root may be null. result[0] receives a long[] of {@link
     * #DEVICE_LONGS} per device, result[1] a String[] of {@link #DEVICE_STRINGS} per device.
     */
    static native int sysfsScan(String root, Object[] result);

    /** {@code aim_gpu_device_scan}, with the same result layout as {@link #sysfsScan}. */
    static native int deviceScan(int backend, Object[] result);

    /**
     * {@code aim_gpu_process_vram_list}. result[0] receives a long[]: the source that answered, the
     * count, then (pid, bytes) pairs; bytes is -1 where the library does not know the amount.
     */
    static native int processVram(int source, int device, Object[] result);
}
