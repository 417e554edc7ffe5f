package dev.aimnext.rocm;

/**
 * A consistent snapshot of a pool's counters, taken under the pool lock ({@code
 * aim_gpu_pool_stats_get}).
 *
 * @param usedBytes bytes of live allocations (requested sizes), including allocations in flight
 * @param reservedBytes bytes the backend holds for the pool: equal to used on the host; on CUDA/HIP
 *     the runtime pool's reserved memory, which may exceed used up to the release threshold
 * @param highWaterBytes the maximum of used since the pool was created
 * @param failedAllocations allocations refused for any reason
 * @param quotaRejections of which refused for the quota
 * @param liveAllocations allocations not freed yet
 */
public record PoolStats(
        GpuBackend backend,
        int device,
        long quotaBytes,
        long usedBytes,
        long reservedBytes,
        long highWaterBytes,
        long allocations,
        long frees,
        long failedAllocations,
        long quotaRejections,
        long liveAllocations) {

    /** Bytes that can still be allocated before the quota refuses. */
    public long availableBytes() {
        return quotaBytes - usedBytes;
    }
}
