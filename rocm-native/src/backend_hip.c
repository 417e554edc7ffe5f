/*
 * HIP backend (AMD): one hipMemPool per aim_gpu_pool, allocations with
 * hipMallocFromPoolAsync on a private non-blocking stream plus a
 * synchronisation, mirroring the CUDA backend call for call.
 *
 * hipMemPoolProps gained `maxSize` in later ROCm releases (ROCm 5.2, the
 * Debian package this was first compiled against, lacks it). The Makefile
 * probes the installed header and defines AIM_GPU_HIP_HAVE_MAXSIZE when the
 * field exists; without it the quota is enforced by the library's accounting
 * only, which still refuses every over-quota request made through the pool.
 *
 * Host-only code: it is compiled with the C compiler and
 * -D__HIP_PLATFORM_AMD__, linking libamdhip64. Compiled only when the build
 * finds hipcc and the HIP headers (AIM_GPU_WITH_HIP).
 */
#include "internal.h"

#include <hip/hip_runtime_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AIM_HIP_GRANULARITY (UINT64_C(2) << 20)

typedef struct hip_pool_state {
    hipMemPool_t pool;
    hipStream_t stream;
    uint64_t max_size; /* 0 if the runtime does not cap the pool */
    /* Only one device visible: it is always current, so the per-call
     * hipGetDevice/hipSetDevice guard (~100 ns a call) can be skipped. */
    int single_device;
} hip_pool_state;

static aim_gpu_status hip_fail(aim_gpu_status st, const char *what, hipError_t err)
{
    return aim_set_error(st, "%s: %s (%s, %d)", what, hipGetErrorString(err),
                         hipGetErrorName(err), (int)err);
}

typedef struct device_guard {
    int previous;
    int switched;
} device_guard;

static hipError_t guard_enter(device_guard *g, int device)
{
    g->switched = 0;
    if (device < 0) {
        return hipSuccess; /* single-device process: nothing to switch */
    }
    hipError_t err = hipGetDevice(&g->previous);
    if (err != hipSuccess) {
        return err;
    }
    if (g->previous != device) {
        err = hipSetDevice(device);
        if (err != hipSuccess) {
            return err;
        }
        g->switched = 1;
    }
    return hipSuccess;
}

static void guard_leave(const device_guard *g)
{
    if (g->switched) {
        (void)hipSetDevice(g->previous);
    }
}

/* The device to make current around a runtime call; -1 when no switch is needed. */
static int guard_device(const aim_gpu_pool *pool)
{
    const hip_pool_state *s = pool->backend_state;
    return s->single_device ? -1 : pool->device;
}

static aim_gpu_status hip_query(aim_gpu_backend_info *info)
{
#ifdef AIM_GPU_HIP_HAVE_MAXSIZE
    info->pool_cap_enforced_by_runtime = 1;
#else
    info->pool_cap_enforced_by_runtime = 0;
#endif
    (void)hipRuntimeGetVersion(&info->runtime_version);
    (void)hipDriverGetVersion(&info->driver_version);
    int count = 0;
    hipError_t err = hipGetDeviceCount(&count);
    if (err != hipSuccess || count <= 0) {
        snprintf(info->detail, sizeof info->detail,
                 "HIP runtime %d, driver %d: hipGetDeviceCount: %s", info->runtime_version,
                 info->driver_version, err != hipSuccess ? hipGetErrorString(err) : "0 devices");
        (void)hipGetLastError();
        return AIM_GPU_ERR_BACKEND_UNAVAILABLE;
    }
    info->device_count = count;
    snprintf(info->detail, sizeof info->detail, "HIP runtime %d, driver %d, %d device(s)",
             info->runtime_version, info->driver_version, count);
    return AIM_GPU_OK;
}

static aim_gpu_status hip_scan(aim_gpu_device_list **out)
{
    int count = 0;
    hipError_t err = hipGetDeviceCount(&count);
    if (err != hipSuccess) {
        (void)hipGetLastError();
        return hip_fail(AIM_GPU_ERR_BACKEND_UNAVAILABLE, "hipGetDeviceCount", err);
    }
    aim_gpu_device_list *list = aim_device_list_new();
    if (list == NULL) {
        return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "device list allocation failed");
    }
    for (int i = 0; i < count; i++) {
        hipDeviceProp_t prop;
        memset(&prop, 0, sizeof prop);
        err = hipGetDeviceProperties(&prop, i);
        if (err != hipSuccess) {
            aim_gpu_device_list_free(list);
            return hip_fail(AIM_GPU_ERR_BACKEND, "hipGetDeviceProperties", err);
        }
        aim_gpu_device_info *d = aim_device_list_append(list);
        if (d == NULL) {
            aim_gpu_device_list_free(list);
            return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "device list allocation failed");
        }
        d->card = -1;
        d->kind = AIM_GPU_NODE_PHYSICAL;
        aim_copy_string(d->name, sizeof d->name, prop.name);
        snprintf(d->bus_id, sizeof d->bus_id, "%04x:%02x:%02x.0", (unsigned)prop.pciDomainID,
                 (unsigned)prop.pciBusID, (unsigned)prop.pciDeviceID);
        d->total_memory_bytes = (uint64_t)prop.totalGlobalMem;
        /* Partition modes come from aim_gpu_sysfs_scan(), matched by bus_id. */
        d->partition_status = AIM_GPU_ERR_NOT_SUPPORTED;
    }
    *out = list;
    return AIM_GPU_OK;
}

static aim_gpu_status hip_create(aim_gpu_pool *pool, int device, uint64_t quota,
                                 uint64_t release_threshold)
{
    int count = 0;
    hipError_t err = hipGetDeviceCount(&count);
    if (err != hipSuccess || count <= 0) {
        (void)hipGetLastError();
        return err != hipSuccess ? hip_fail(AIM_GPU_ERR_BACKEND_UNAVAILABLE, "hipGetDeviceCount", err)
                                 : aim_set_error(AIM_GPU_ERR_BACKEND_UNAVAILABLE, "no HIP device");
    }
    if (device >= count) {
        return aim_set_error(AIM_GPU_ERR_NO_DEVICE, "HIP device %d of %d", device, count);
    }
    int supported = 0;
    err = hipDeviceGetAttribute(&supported, hipDeviceAttributeMemoryPoolsSupported, device);
    if (err != hipSuccess) {
        return hip_fail(AIM_GPU_ERR_BACKEND, "hipDeviceGetAttribute(MemoryPoolsSupported)", err);
    }
    if (!supported) {
        return aim_set_error(AIM_GPU_ERR_NOT_SUPPORTED, "HIP device %d has no memory pools",
                             device);
    }
    hip_pool_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "calloc(hip_pool_state) failed");
    }
    s->single_device = count == 1;
    device_guard g;
    err = guard_enter(&g, device);
    if (err != hipSuccess) {
        free(s);
        return hip_fail(AIM_GPU_ERR_BACKEND, "hipSetDevice", err);
    }
    hipMemPoolProps props;
    memset(&props, 0, sizeof props);
    props.allocType = hipMemAllocationTypePinned;
    props.handleTypes = hipMemHandleTypeNone;
    props.location.type = hipMemLocationTypeDevice;
    props.location.id = device;
#ifdef AIM_GPU_HIP_HAVE_MAXSIZE
    s->max_size = aim_round_up(quota, AIM_HIP_GRANULARITY);
    props.maxSize = (size_t)s->max_size;
#else
    (void)quota; /* accounting-only quota: see the file comment */
#endif
    aim_gpu_status st = AIM_GPU_OK;
    err = hipMemPoolCreate(&s->pool, &props);
    if (err != hipSuccess) {
        st = hip_fail(err == hipErrorOutOfMemory ? AIM_GPU_ERR_OUT_OF_MEMORY : AIM_GPU_ERR_BACKEND,
                      "hipMemPoolCreate", err);
        goto fail;
    }
    uint64_t threshold = release_threshold;
    err = hipMemPoolSetAttribute(s->pool, hipMemPoolAttrReleaseThreshold, &threshold);
    if (err != hipSuccess) {
        (void)hipMemPoolDestroy(s->pool);
        st = hip_fail(AIM_GPU_ERR_BACKEND, "hipMemPoolSetAttribute(ReleaseThreshold)", err);
        goto fail;
    }
    err = hipStreamCreateWithFlags(&s->stream, hipStreamNonBlocking);
    if (err != hipSuccess) {
        (void)hipMemPoolDestroy(s->pool);
        st = hip_fail(AIM_GPU_ERR_BACKEND, "hipStreamCreateWithFlags", err);
        goto fail;
    }
    guard_leave(&g);
    pool->backend_state = s;
    return AIM_GPU_OK;
fail:
    guard_leave(&g);
    (void)hipGetLastError();
    free(s);
    return st;
}

static aim_gpu_status hip_alloc(aim_gpu_pool *pool, size_t size, void **out)
{
    hip_pool_state *s = pool->backend_state;
    device_guard g;
    hipError_t err = guard_enter(&g, guard_device(pool));
    if (err != hipSuccess) {
        return hip_fail(AIM_GPU_ERR_BACKEND, "hipSetDevice", err);
    }
    void *p = NULL;
    err = hipMallocFromPoolAsync(&p, size, s->pool, s->stream);
    if (err == hipSuccess) {
        err = hipStreamSynchronize(s->stream);
        if (err != hipSuccess) {
            (void)hipFreeAsync(p, s->stream);
            p = NULL;
        }
    }
    guard_leave(&g);
    if (err == hipSuccess) {
        *out = p;
        return AIM_GPU_OK;
    }
    (void)hipGetLastError();
    if (err == hipErrorOutOfMemory) {
        uint64_t reserved = 0;
        (void)hipMemPoolGetAttribute(s->pool, hipMemPoolAttrReservedMemCurrent, &reserved);
        if (s->max_size != 0 && reserved + size > s->max_size) {
            return aim_set_error(AIM_GPU_ERR_QUOTA_EXCEEDED,
                                 "hipMallocFromPoolAsync(%zu): pool cap %llu reached (reserved %llu)",
                                 size, (unsigned long long)s->max_size,
                                 (unsigned long long)reserved);
        }
        return hip_fail(AIM_GPU_ERR_OUT_OF_MEMORY, "hipMallocFromPoolAsync", err);
    }
    return hip_fail(AIM_GPU_ERR_BACKEND, "hipMallocFromPoolAsync", err);
}

static aim_gpu_status hip_free(aim_gpu_pool *pool, void *ptr)
{
    hip_pool_state *s = pool->backend_state;
    device_guard g;
    hipError_t err = guard_enter(&g, guard_device(pool));
    if (err != hipSuccess) {
        return hip_fail(AIM_GPU_ERR_BACKEND, "hipSetDevice", err);
    }
    err = hipFreeAsync(ptr, s->stream);
    if (err == hipSuccess) {
        err = hipStreamSynchronize(s->stream);
    }
    guard_leave(&g);
    if (err != hipSuccess) {
        (void)hipGetLastError();
        return hip_fail(AIM_GPU_ERR_BACKEND, "hipFreeAsync", err);
    }
    return AIM_GPU_OK;
}

static void hip_free_many(aim_gpu_pool *pool, void *const *ptrs, size_t n)
{
    hip_pool_state *s = pool->backend_state;
    device_guard g;
    if (guard_enter(&g, guard_device(pool)) != hipSuccess) {
        (void)hipGetLastError();
        return;
    }
    for (size_t i = 0; i < n; i++) {
        (void)hipFreeAsync(ptrs[i], s->stream);
    }
    (void)hipStreamSynchronize(s->stream);
    (void)hipGetLastError();
    guard_leave(&g);
}

static aim_gpu_status hip_reserved(aim_gpu_pool *pool, uint64_t *reserved)
{
    hip_pool_state *s = pool->backend_state;
    uint64_t v = 0;
    hipError_t err = hipMemPoolGetAttribute(s->pool, hipMemPoolAttrReservedMemCurrent, &v);
    if (err != hipSuccess) {
        (void)hipGetLastError();
        return hip_fail(AIM_GPU_ERR_BACKEND, "hipMemPoolGetAttribute(ReservedMemCurrent)", err);
    }
    *reserved = v;
    return AIM_GPU_OK;
}

static void hip_destroy(aim_gpu_pool *pool)
{
    hip_pool_state *s = pool->backend_state;
    if (s == NULL) {
        return;
    }
    device_guard g;
    int entered = guard_enter(&g, guard_device(pool)) == hipSuccess;
    (void)hipStreamSynchronize(s->stream);
    (void)hipStreamDestroy(s->stream);
    (void)hipMemPoolDestroy(s->pool);
    (void)hipGetLastError();
    if (entered) {
        guard_leave(&g);
    }
    free(s);
    pool->backend_state = NULL;
}

const aim_backend_ops aim_backend_hip_ops = {
    .id = AIM_GPU_BACKEND_HIP,
    .alloc_under_lock = 0,
    .create = hip_create,
    .alloc = hip_alloc,
    .free = hip_free,
    .free_many = hip_free_many,
    .reserved = hip_reserved,
    .destroy = hip_destroy,
    .query = hip_query,
    .scan = hip_scan,
};
