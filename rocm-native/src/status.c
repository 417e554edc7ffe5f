/* Status codes, error details, version and backend registry. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

static const char *const k_messages[AIM_GPU_STATUS_COUNT] = {
    [AIM_GPU_OK] = "success",
    [AIM_GPU_ERR_INVALID_ARGUMENT] =
        "invalid argument (NULL handle or pointer, zero or negative size, or unknown enum value)",
    [AIM_GPU_ERR_QUOTA_EXCEEDED] =
        "allocation would exceed the pool quota; nothing was allocated",
    [AIM_GPU_ERR_UNKNOWN_POINTER] =
        "pointer is not a live allocation of this pool (double free or foreign pointer)",
    [AIM_GPU_ERR_BACKEND_UNAVAILABLE] =
        "backend unavailable (not compiled into this library, or no usable device/driver)",
    [AIM_GPU_ERR_OUT_OF_MEMORY] = "out of memory below the pool quota",
    [AIM_GPU_ERR_SYSFS_PARSE] =
        "sysfs partition file is malformed or holds an unknown partition mode",
    [AIM_GPU_ERR_UNAVAILABLE] =
        "per-process VRAM unavailable: no NVML / amd-smi / rocm-smi library could be loaded",
    [AIM_GPU_ERR_NO_DEVICE] = "no such device (index out of range)",
    [AIM_GPU_ERR_NOT_SUPPORTED] = "operation not supported by this device or backend",
    [AIM_GPU_ERR_IO] = "sysfs root or directory could not be read",
    [AIM_GPU_ERR_BUFFER_TOO_SMALL] = "output array too small; the needed count was returned",
    [AIM_GPU_ERR_BACKEND] = "GPU runtime or management library call failed",
    [AIM_GPU_ERR_INTERNAL] = "internal error in libaimgpu (a bug)",
};

static const char *const k_names[AIM_GPU_STATUS_COUNT] = {
    [AIM_GPU_OK] = "AIM_GPU_OK",
    [AIM_GPU_ERR_INVALID_ARGUMENT] = "AIM_GPU_ERR_INVALID_ARGUMENT",
    [AIM_GPU_ERR_QUOTA_EXCEEDED] = "AIM_GPU_ERR_QUOTA_EXCEEDED",
    [AIM_GPU_ERR_UNKNOWN_POINTER] = "AIM_GPU_ERR_UNKNOWN_POINTER",
    [AIM_GPU_ERR_BACKEND_UNAVAILABLE] = "AIM_GPU_ERR_BACKEND_UNAVAILABLE",
    [AIM_GPU_ERR_OUT_OF_MEMORY] = "AIM_GPU_ERR_OUT_OF_MEMORY",
    [AIM_GPU_ERR_SYSFS_PARSE] = "AIM_GPU_ERR_SYSFS_PARSE",
    [AIM_GPU_ERR_UNAVAILABLE] = "AIM_GPU_ERR_UNAVAILABLE",
    [AIM_GPU_ERR_NO_DEVICE] = "AIM_GPU_ERR_NO_DEVICE",
    [AIM_GPU_ERR_NOT_SUPPORTED] = "AIM_GPU_ERR_NOT_SUPPORTED",
    [AIM_GPU_ERR_IO] = "AIM_GPU_ERR_IO",
    [AIM_GPU_ERR_BUFFER_TOO_SMALL] = "AIM_GPU_ERR_BUFFER_TOO_SMALL",
    [AIM_GPU_ERR_BACKEND] = "AIM_GPU_ERR_BACKEND",
    [AIM_GPU_ERR_INTERNAL] = "AIM_GPU_ERR_INTERNAL",
};

const char *aim_gpu_strerror(int status)
{
    if (status >= 0 && status < AIM_GPU_STATUS_COUNT && k_messages[status] != NULL) {
        return k_messages[status];
    }
    return "unknown libaimgpu status code";
}

const char *aim_gpu_status_name(int status)
{
    if (status >= 0 && status < AIM_GPU_STATUS_COUNT && k_names[status] != NULL) {
        return k_names[status];
    }
    return "AIM_GPU_STATUS_UNKNOWN";
}

static __thread char t_detail[256];

aim_gpu_status aim_set_error(aim_gpu_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t_detail, sizeof t_detail, fmt, ap);
    va_end(ap);
    return status;
}

void aim_clear_error(void)
{
    t_detail[0] = '\0';
}

const char *aim_gpu_last_error_detail(void)
{
    return t_detail;
}

const char *aim_gpu_version(void)
{
#define AIM_STR2(x) #x
#define AIM_STR(x) AIM_STR2(x)
    return AIM_STR(AIM_GPU_VERSION_MAJOR) "." AIM_STR(AIM_GPU_VERSION_MINOR) "." AIM_STR(
        AIM_GPU_VERSION_PATCH) " (backends: host"
#ifdef AIM_GPU_WITH_CUDA
                               " cuda"
#endif
#ifdef AIM_GPU_WITH_HIP
                               " hip"
#endif
                               ")";
#undef AIM_STR
#undef AIM_STR2
}

const aim_backend_ops *aim_backend_ops_for(aim_gpu_backend backend)
{
    switch (backend) {
    case AIM_GPU_BACKEND_HOST:
        return &aim_backend_host_ops;
#ifdef AIM_GPU_WITH_CUDA
    case AIM_GPU_BACKEND_CUDA:
        return &aim_backend_cuda_ops;
#endif
#ifdef AIM_GPU_WITH_HIP
    case AIM_GPU_BACKEND_HIP:
        return &aim_backend_hip_ops;
#endif
    default:
        return NULL;
    }
}

const char *aim_gpu_backend_name(aim_gpu_backend backend)
{
    switch (backend) {
    case AIM_GPU_BACKEND_HOST:
        return "host";
    case AIM_GPU_BACKEND_CUDA:
        return "cuda";
    case AIM_GPU_BACKEND_HIP:
        return "hip";
    default:
        return "unknown";
    }
}

int aim_gpu_backend_compiled(aim_gpu_backend backend)
{
    return aim_backend_ops_for(backend) != NULL;
}

aim_gpu_status aim_gpu_backend_query(aim_gpu_backend backend, aim_gpu_backend_info *info)
{
    if (info == NULL) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "info is NULL");
    }
    memset(info, 0, sizeof *info);
    info->backend = backend;
    if ((int)backend < 0 || backend >= AIM_GPU_BACKEND_COUNT) {
        aim_copy_string(info->detail, sizeof info->detail, "unknown backend");
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "unknown backend %d", (int)backend);
    }
    const aim_backend_ops *ops = aim_backend_ops_for(backend);
    if (ops == NULL) {
        snprintf(info->detail, sizeof info->detail,
                 "%s backend not compiled into this libaimgpu build", aim_gpu_backend_name(backend));
        return aim_set_error(AIM_GPU_ERR_BACKEND_UNAVAILABLE, "%s", info->detail);
    }
    info->compiled = 1;
    aim_gpu_status st = ops->query(info);
    if (st != AIM_GPU_OK) {
        info->usable = 0;
        return aim_set_error(st, "%s", info->detail);
    }
    info->usable = 1;
    return AIM_GPU_OK;
}

void aim_copy_string(char *dst, size_t dst_size, const char *src)
{
    if (dst_size == 0) {
        return;
    }
    if (src == NULL) {
        dst[0] = '\0';
        return;
    }
    size_t n = strnlen(src, dst_size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

uint64_t aim_round_up(uint64_t value, uint64_t align)
{
    uint64_t mask = align - 1;
    if (value > UINT64_MAX - mask) {
        return UINT64_MAX & ~mask;
    }
    return (value + mask) & ~mask;
}
