package dev.aimnext.rocm.internal;

import dev.aimnext.rocm.BackendInfo;
import dev.aimnext.rocm.GpuBackend;
import dev.aimnext.rocm.GpuDevice;
import dev.aimnext.rocm.GpuException;
import dev.aimnext.rocm.GpuStatus;
import dev.aimnext.rocm.PoolStats;
import dev.aimnext.rocm.ProcessVram;
import dev.aimnext.rocm.QuotaExceededException;
import dev.aimnext.rocm.VramSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host backend without the native library: for JVMs where {@code libaimgpu_jni.so} cannot be
 * loaded (another OS or architecture, a missing file). Pools keep the library's quota rules and
 * counters, so code that budgets memory behaves the same, but no memory is allocated: an
 * allocation's address is an opaque token. There is no device discovery (the lists are empty) and
 * per-process VRAM is "unavailable".
 */
public final class JavaHostBinding implements GpuBinding {

    private final String reason;
    private final Map<Long, QuotaLedger> pools = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);

    /** @param reason why the native library is not in use, for version() and VRAM answers */
    public JavaHostBinding(String reason) {
        this.reason = reason;
    }

    @Override
    public boolean isNative() {
        return false;
    }

    @Override
    public String version() {
        return "Java host fallback (no native library: " + reason + ")";
    }

    @Override
    public String strerror(int status) {
        return GpuStatus.fromCode(status).message();
    }

    @Override
    public BackendInfo queryBackend(GpuBackend backend) {
        if (backend == GpuBackend.HOST) {
            return new BackendInfo(backend, true, true, 1, 0, 0, false, "Java host fallback: quota accounting only");
        }
        return new BackendInfo(backend, false, false, 0, 0, 0, false,
                backend.label() + " backend needs the native library, which is not loaded");
    }

    @Override
    public long createPool(GpuBackend backend, int device, long quotaBytes, long releaseThresholdBytes) {
        if (backend != GpuBackend.HOST) {
            throw error(GpuStatus.BACKEND_UNAVAILABLE, backend.label() + " backend needs the native library");
        }
        if (device != 0) {
            throw error(GpuStatus.NO_DEVICE, "the host backend has only device 0");
        }
        if (quotaBytes <= 0 || releaseThresholdBytes < 0) {
            throw error(GpuStatus.INVALID_ARGUMENT, "quota must be positive and the release threshold not negative");
        }
        long handle = nextHandle.getAndIncrement();
        pools.put(handle, new QuotaLedger(quotaBytes));
        return handle;
    }

    @Override
    public long allocate(long pool, long bytes) {
        if (bytes <= 0) {
            throw error(GpuStatus.INVALID_ARGUMENT, "size must be positive");
        }
        return ledger(pool).allocate(bytes);
    }

    @Override
    public void free(long pool, long address) {
        ledger(pool).free(address);
    }

    @Override
    public PoolStats stats(long pool) {
        return ledger(pool).stats();
    }

    @Override
    public long destroyPool(long pool) {
        QuotaLedger ledger = pools.remove(pool);
        if (ledger == null) {
            throw error(GpuStatus.INVALID_ARGUMENT, "unknown or already closed pool handle");
        }
        return ledger.stats().liveAllocations();
    }

    @Override
    public List<GpuDevice> sysfsScan(Path root) {
        return List.of();
    }

    @Override
    public List<GpuDevice> deviceScan(GpuBackend backend) {
        if (backend != GpuBackend.HOST) {
            throw error(GpuStatus.BACKEND_UNAVAILABLE, backend.label() + " backend needs the native library");
        }
        return List.of();
    }

    @Override
    public ProcessVram processVram(VramSource source, int device) {
        return ProcessVram.unavailable(GpuStatus.UNAVAILABLE.message() + ": the native library is not loaded ("
                + reason + ")");
    }

    private QuotaLedger ledger(long pool) {
        QuotaLedger ledger = pools.get(pool);
        if (ledger == null) {
            throw error(GpuStatus.INVALID_ARGUMENT, "unknown or closed pool handle");
        }
        return ledger;
    }

    private static GpuException error(GpuStatus status, String detail) {
        return new GpuException(status, status.message(), detail);
    }

    /** The host pool's accounting, with the same rules and counters as {@code pool.c}. */
    private static final class QuotaLedger {
        private final long quota;
        private final Map<Long, Long> live = new HashMap<>();
        private long nextToken = 1;
        private long used;
        private long highWater;
        private long allocations;
        private long frees;
        private long failed;
        private long quotaRejections;

        QuotaLedger(long quota) {
            this.quota = quota;
        }

        synchronized long allocate(long bytes) {
            if (bytes > quota - used) {
                failed++;
                quotaRejections++;
                throw new QuotaExceededException(GpuStatus.QUOTA_EXCEEDED.message(),
                        bytes + " bytes requested, " + used + " of " + quota + " bytes in use");
            }
            long token = (nextToken++) << 4;
            live.put(token, bytes);
            used += bytes;
            highWater = Math.max(highWater, used);
            allocations++;
            return token;
        }

        synchronized void free(long token) {
            Long bytes = live.remove(token);
            if (bytes == null) {
                throw error(GpuStatus.UNKNOWN_POINTER,
                        "0x" + Long.toHexString(token) + " is not a live allocation of this pool");
            }
            used -= bytes;
            frees++;
        }

        synchronized PoolStats stats() {
            return new PoolStats(GpuBackend.HOST, 0, quota, used, used, highWater, allocations, frees, failed,
                    quotaRejections, live.size());
        }
    }
}
