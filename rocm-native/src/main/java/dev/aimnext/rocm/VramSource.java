package dev.aimnext.rocm;

/** Where per-process VRAM comes from ({@code aim_gpu_vram_source}); each library is loaded with dlopen. */
public enum VramSource {
    /** rocm-smi, then amd-smi, then NVML: the first that loads and initialises. */
    AUTO(0),
    /** {@code libnvidia-ml.so.1}; {@code $AIM_GPU_NVML_LIBRARY} overrides the file. */
    NVML(1),
    /** {@code libamd_smi.so}; {@code $AIM_GPU_AMDSMI_LIBRARY} overrides the file. */
    AMDSMI(2),
    /** {@code librocm_smi64.so}; {@code $AIM_GPU_ROCM_SMI_LIBRARY} overrides the file. */
    ROCM_SMI(3);

    private final int code;

    VramSource(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static VramSource fromCode(long code) {
        for (VramSource s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return AUTO;
    }
}
