package dev.aimnext.rocm;

/**
 * What {@code aim_gpu_backend_query} says about one backend.
 *
 * @param compiled the backend is built into the loaded library
 * @param usable at least one device answers now
 * @param deviceCount devices the runtime sees (1 for the host backend)
 * @param runtimeVersion CUDA/HIP runtime version; 0 for the host
 * @param driverVersion driver version; 0 if unknown
 * @param poolCapEnforcedByRuntime the runtime's own pool enforces the quota as well (CUDA ≥ 12.2
 *     {@code maxSize}); otherwise the quota is this library's accounting only
 * @param detail why the backend is not usable, or a short summary
 */
public record BackendInfo(
        GpuBackend backend,
        boolean compiled,
        boolean usable,
        int deviceCount,
        int runtimeVersion,
        int driverVersion,
        boolean poolCapEnforcedByRuntime,
        String detail) {}
