package dev.aimnext.rocm.internal;

import dev.aimnext.rocm.BackendInfo;
import dev.aimnext.rocm.ComputePartition;
import dev.aimnext.rocm.GpuBackend;
import dev.aimnext.rocm.GpuDevice;
import dev.aimnext.rocm.GpuException;
import dev.aimnext.rocm.GpuStatus;
import dev.aimnext.rocm.MemoryPartition;
import dev.aimnext.rocm.NodeKind;
import dev.aimnext.rocm.PartitionModes;
import dev.aimnext.rocm.PoolStats;
import dev.aimnext.rocm.ProcessMemory;
import dev.aimnext.rocm.ProcessVram;
import dev.aimnext.rocm.QuotaExceededException;
import dev.aimnext.rocm.VramSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@link GpuBinding} over {@link AimGpuJni}: turns status codes into exceptions that carry the
 * library's message and the call's detail, and flat result arrays into records. Only used once
 * {@link JniLibraryLoader} has loaded the library.
 */
public final class JniGpuBinding implements GpuBinding {

    @Override
    public boolean isNative() {
        return true;
    }

    @Override
    public String version() {
        return AimGpuJni.version();
    }

    @Override
    public String strerror(int status) {
        return AimGpuJni.strerror(status);
    }

    /** The library's symbolic name for a code, e.g. {@code AIM_GPU_ERR_QUOTA_EXCEEDED}. */
    public String statusName(int status) {
        return AimGpuJni.statusName(status);
    }

    @Override
    public BackendInfo queryBackend(GpuBackend backend) {
        long[] n = new long[AimGpuJni.BACKEND_LONGS];
        String[] detail = new String[1];
        int status = AimGpuJni.backendQuery(backend.code(), n, detail);
        // BACKEND_UNAVAILABLE is an answer here ("not usable"), not a failure.
        if (status != GpuStatus.OK.code() && status != GpuStatus.BACKEND_UNAVAILABLE.code()) {
            throw failure(status);
        }
        return new BackendInfo(backend, n[0] != 0, n[1] != 0, (int) n[2], (int) n[3], (int) n[4], n[5] != 0,
                detail[0] == null ? "" : detail[0]);
    }

    @Override
    public long createPool(GpuBackend backend, int device, long quotaBytes, long releaseThresholdBytes) {
        long[] handle = new long[1];
        check(AimGpuJni.poolCreate(backend.code(), device, quotaBytes, releaseThresholdBytes, handle));
        return handle[0];
    }

    @Override
    public long allocate(long pool, long bytes) {
        long[] address = new long[1];
        check(AimGpuJni.poolAlloc(pool, bytes, address));
        return address[0];
    }

    @Override
    public void free(long pool, long address) {
        check(AimGpuJni.poolFree(pool, address));
    }

    @Override
    public PoolStats stats(long pool) {
        long[] s = new long[AimGpuJni.STATS_LONGS];
        check(AimGpuJni.poolStats(pool, s));
        return new PoolStats(GpuBackend.fromCode((int) s[0]), (int) s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8],
                s[9], s[10]);
    }

    @Override
    public long destroyPool(long pool) {
        long[] outstanding = new long[1];
        check(AimGpuJni.poolDestroy(pool, outstanding));
        return outstanding[0];
    }

    @Override
    public List<GpuDevice> sysfsScan(Path root) {
        Object[] result = new Object[2];
        check(AimGpuJni.sysfsScan(root == null ? null : root.toString(), result));
        return devices(result);
    }

    @Override
    public List<GpuDevice> deviceScan(GpuBackend backend) {
        Object[] result = new Object[2];
        check(AimGpuJni.deviceScan(backend.code(), result));
        return devices(result);
    }

    @Override
    public ProcessVram processVram(VramSource source, int device) {
        Object[] result = new Object[1];
        int status = AimGpuJni.processVram(source.code(), device, result);
        if (status == GpuStatus.UNAVAILABLE.code()) {
            return ProcessVram.unavailable(failure(status).getMessage());
        }
        check(status);
        long[] values = (long[]) result[0];
        int count = (int) values[1];
        List<ProcessMemory> processes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long bytes = values[2 + 2 * i + 1];
            processes.add(new ProcessMemory((int) values[2 + 2 * i],
                    bytes < 0 ? OptionalLong.empty() : OptionalLong.of(bytes)));
        }
        return ProcessVram.available(VramSource.fromCode(values[0]), processes);
    }

    private static List<GpuDevice> devices(Object[] result) {
        long[] n = (long[]) result[0];
        String[] s = (String[]) result[1];
        int count = n.length / AimGpuJni.DEVICE_LONGS;
        List<GpuDevice> devices = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int o = i * AimGpuJni.DEVICE_LONGS;
            PartitionModes modes = new PartitionModes(
                    ComputePartition.fromCode(n[o + 6]), ComputePartition.fromMask(n[o + 7]),
                    MemoryPartition.fromCode(n[o + 8]), MemoryPartition.fromMask(n[o + 9]),
                    GpuStatus.fromCode((int) n[o + 10]));
            devices.add(new GpuDevice((int) n[o], (int) n[o + 1], NodeKind.fromCode(n[o + 2]), (int) n[o + 3],
                    (int) n[o + 4], s[2 * i], s[2 * i + 1], n[o + 5], modes));
        }
        return List.copyOf(devices);
    }

    private void check(int status) {
        if (status != GpuStatus.OK.code()) {
            throw failure(status);
        }
    }

    /** Must run on the failing thread right after the call: the detail is thread-local. */
    private GpuException failure(int status) {
        String detail = AimGpuJni.lastErrorDetail();
        String reason = AimGpuJni.strerror(status);
        GpuStatus code = GpuStatus.fromCode(status);
        return code == GpuStatus.QUOTA_EXCEEDED
                ? new QuotaExceededException(reason, detail)
                : new GpuException(code, reason, detail);
    }
}
