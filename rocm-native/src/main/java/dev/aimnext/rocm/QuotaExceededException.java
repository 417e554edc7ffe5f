package dev.aimnext.rocm;

/**
 * An allocation would take its {@link MemoryPool} past the quota, so nothing was allocated and the
 * pool is unchanged. This is the one failure a caller is expected to handle (wait, shed load, or
 * ask for less), which is why it has its own type: {@code AIM_GPU_ERR_QUOTA_EXCEEDED} is distinct
 * from running out of device memory below the quota ({@link GpuStatus#OUT_OF_MEMORY}).
 */
public final class QuotaExceededException extends GpuException {

    private static final long serialVersionUID = 1L;

    public QuotaExceededException(String reason, String detail) {
        super(GpuStatus.QUOTA_EXCEEDED, reason, detail);
    }
}
