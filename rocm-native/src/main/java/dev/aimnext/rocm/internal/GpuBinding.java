package dev.aimnext.rocm.internal;

import dev.aimnext.rocm.BackendInfo;
import dev.aimnext.rocm.GpuBackend;
import dev.aimnext.rocm.GpuDevice;
import dev.aimnext.rocm.GpuException;
import dev.aimnext.rocm.PoolStats;
import dev.aimnext.rocm.ProcessVram;
import dev.aimnext.rocm.VramSource;

import java.nio.file.Path;
import java.util.List;

/**
 * The calls the public classes make, implemented once over JNI ({@link JniGpuBinding}) and once in
 * plain Java for when the native library cannot be loaded ({@link JavaHostBinding}). Pools and
 * allocations are opaque {@code long}s here; the public {@code MemoryPool} and {@code Allocation}
 * own them and do all state checks before calling in.
 *
 * <p>Every method throws {@link GpuException} (or its quota subtype) for a failing status.
 */
public interface GpuBinding {

    /** True when calls go to libaimgpu, false for the Java fallback. */
    boolean isNative();

    /** {@code aim_gpu_version()}, or a description of the fallback. */
    String version();

    /** The library's message for a status ({@code aim_gpu_strerror}). */
    String strerror(int status);

    BackendInfo queryBackend(GpuBackend backend);

    long createPool(GpuBackend backend, int device, long quotaBytes, long releaseThresholdBytes);

    long allocate(long pool, long bytes);

    void free(long pool, long address);

    PoolStats stats(long pool);

    /** Destroys the pool and returns how many allocations were still live (and are now freed). */
    long destroyPool(long pool);

    /** AMD GPUs and partition nodes from sysfs; {@code root} null means the library's default. */
    List<GpuDevice> sysfsScan(Path root);

    /** Devices the backend's runtime sees. */
    List<GpuDevice> deviceScan(GpuBackend backend);

    ProcessVram processVram(VramSource source, int device);
}
