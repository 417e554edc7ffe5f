package dev.aimnext.rocm;

import java.util.Locale;

/** The backends of {@code aim_gpu_backend}: where a {@link MemoryPool} takes its memory from. */
public enum GpuBackend {
    /** malloc with quota accounting; always available, also without a GPU. */
    HOST(0),
    /** {@code cudaMemPool}: NVIDIA GPUs. */
    CUDA(1),
    /** {@code hipMemPool}: AMD Instinct GPUs. */
    HIP(2);

    private final int code;

    GpuBackend(int code) {
        this.code = code;
    }

    /** The {@code aim_gpu_backend} value. */
    public int code() {
        return code;
    }

    /** Lowercase name as the library and the {@code GpuSample.backend} field spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GpuBackend fromCode(int code) {
        for (GpuBackend b : values()) {
            if (b.code == code) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend code " + code);
    }
}
