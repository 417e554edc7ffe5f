/*
 * CUDA backend: one cudaMemPool per aim_gpu_pool, allocations with
 * cudaMallocFromPoolAsync on a private non-blocking stream followed by a
 * synchronisation, so that alloc/free behave like cudaMalloc/cudaFree for the
 * caller. The pool's maxSize (CUDA >= 12.2) is set to the quota rounded up to
 * the 2 MiB allocation granularity, so the runtime enforces the cap too; the
 * library's accounting still decides first and gives the exact quota.
 *
 * Compiled only when the build finds CUDA (AIM_GPU_WITH_CUDA).
 */
#include "internal.h"

#include <cuda_runtime_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AIM_CUDA_GRANULARITY (UINT64_C(2) << 20)

typedef struct cuda_pool_state {
    cudaMemPool_t pool;
    cudaStream_t stream;
    uint64_t max_size; /* 0 if the runtime does not cap the pool */
    /* Only one device visible: it is always current, so the per-call
     * cudaGetDevice/cudaSetDevice guard (~100 ns a call) can be skipped. */
    int single_device;
} cuda_pool_state;

static aim_gpu_status cuda_fail(aim_gpu_status st, const char *what, cudaError_t err)
{
    return aim_set_error(st, "%s: %s (%s, %d)", what, cudaGetErrorString(err),
                         cudaGetErrorName(err), (int)err);
}

/* Makes `device` current for the calling thread; remembers the previous one. */
typedef struct device_guard {
    int previous;
    int switched;
} device_guard;

static cudaError_t guard_enter(device_guard *g, int device)
{
    g->switched = 0;
    if (device < 0) {
        return cudaSuccess; /* single-device process: nothing to switch */
    }
    cudaError_t err = cudaGetDevice(&g->previous);
    if (err != cudaSuccess) {
        return err;
    }
    if (g->previous != device) {
        err = cudaSetDevice(device);
        if (err != cudaSuccess) {
            return err;
        }
        g->switched = 1;
    }
    return cudaSuccess;
}

static void guard_leave(const device_guard *g)
{
    if (g->switched) {
        cudaSetDevice(g->previous);
    }
}

/* The device to make current around a runtime call; -1 when no switch is needed. */
static int guard_device(const aim_gpu_pool *pool)
{
    const cuda_pool_state *s = pool->backend_state;
    return s->single_device ? -1 : pool->device;
}

static aim_gpu_status cuda_query(aim_gpu_backend_info *info)
{
#if CUDART_VERSION >= 12020
    info->pool_cap_enforced_by_runtime = 1;
#else
    info->pool_cap_enforced_by_runtime = 0;
#endif
    cudaRuntimeGetVersion(&info->runtime_version);
    cudaDriverGetVersion(&info->driver_version);
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess || count <= 0) {
        snprintf(info->detail, sizeof info->detail,
                 "CUDA runtime %d, driver %d: cudaGetDeviceCount: %s",
                 info->runtime_version, info->driver_version,
                 err != cudaSuccess ? cudaGetErrorString(err) : "0 devices");
        cudaGetLastError();
        return AIM_GPU_ERR_BACKEND_UNAVAILABLE;
    }
    info->device_count = count;
    snprintf(info->detail, sizeof info->detail, "CUDA runtime %d, driver %d, %d device(s)",
             info->runtime_version, info->driver_version, count);
    return AIM_GPU_OK;
}

static aim_gpu_status cuda_scan(aim_gpu_device_list **out)
{
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess) {
        cudaGetLastError();
        return cuda_fail(AIM_GPU_ERR_BACKEND_UNAVAILABLE, "cudaGetDeviceCount", err);
    }
    aim_gpu_device_list *list = aim_device_list_new();
    if (list == NULL) {
        return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "device list allocation failed");
    }
    for (int i = 0; i < count; i++) {
        struct cudaDeviceProp prop;
        memset(&prop, 0, sizeof prop);
        err = cudaGetDeviceProperties(&prop, i);
        if (err != cudaSuccess) {
            aim_gpu_device_list_free(list);
            return cuda_fail(AIM_GPU_ERR_BACKEND, "cudaGetDeviceProperties", err);
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
        d->partition_status = AIM_GPU_ERR_NOT_SUPPORTED;
    }
    *out = list;
    return AIM_GPU_OK;
}

static aim_gpu_status cuda_create(aim_gpu_pool *pool, int device, uint64_t quota,
                                  uint64_t release_threshold)
{
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess || count <= 0) {
        cudaGetLastError();
        return err != cudaSuccess ? cuda_fail(AIM_GPU_ERR_BACKEND_UNAVAILABLE, "cudaGetDeviceCount", err)
                                  : aim_set_error(AIM_GPU_ERR_BACKEND_UNAVAILABLE, "no CUDA device");
    }
    if (device >= count) {
        return aim_set_error(AIM_GPU_ERR_NO_DEVICE, "CUDA device %d of %d", device, count);
    }
    int supported = 0;
    err = cudaDeviceGetAttribute(&supported, cudaDevAttrMemoryPoolsSupported, device);
    if (err != cudaSuccess) {
        return cuda_fail(AIM_GPU_ERR_BACKEND, "cudaDeviceGetAttribute(MemoryPoolsSupported)", err);
    }
    if (!supported) {
        return aim_set_error(AIM_GPU_ERR_NOT_SUPPORTED, "CUDA device %d has no memory pools",
                             device);
    }
    cuda_pool_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "calloc(cuda_pool_state) failed");
    }
    s->single_device = count == 1;
    device_guard g;
    err = guard_enter(&g, device);
    if (err != cudaSuccess) {
        free(s);
        return cuda_fail(AIM_GPU_ERR_BACKEND, "cudaSetDevice", err);
    }
    struct cudaMemPoolProps props;
    memset(&props, 0, sizeof props);
    props.allocType = cudaMemAllocationTypePinned;
    props.handleTypes = cudaMemHandleTypeNone;
    props.location.type = cudaMemLocationTypeDevice;
    props.location.id = device;
#if CUDART_VERSION >= 12020
    s->max_size = aim_round_up(quota, AIM_CUDA_GRANULARITY);
    props.maxSize = (size_t)s->max_size;
#else
    (void)quota;
#endif
    aim_gpu_status st = AIM_GPU_OK;
    err = cudaMemPoolCreate(&s->pool, &props);
    if (err != cudaSuccess) {
        st = cuda_fail(err == cudaErrorMemoryAllocation ? AIM_GPU_ERR_OUT_OF_MEMORY
                                                        : AIM_GPU_ERR_BACKEND,
                       "cudaMemPoolCreate", err);
        goto fail;
    }
    uint64_t threshold = release_threshold;
    err = cudaMemPoolSetAttribute(s->pool, cudaMemPoolAttrReleaseThreshold, &threshold);
    if (err != cudaSuccess) {
        cudaMemPoolDestroy(s->pool);
        st = cuda_fail(AIM_GPU_ERR_BACKEND, "cudaMemPoolSetAttribute(ReleaseThreshold)", err);
        goto fail;
    }
    err = cudaStreamCreateWithFlags(&s->stream, cudaStreamNonBlocking);
    if (err != cudaSuccess) {
        cudaMemPoolDestroy(s->pool);
        st = cuda_fail(AIM_GPU_ERR_BACKEND, "cudaStreamCreateWithFlags", err);
        goto fail;
    }
    guard_leave(&g);
    pool->backend_state = s;
    return AIM_GPU_OK;
fail:
    guard_leave(&g);
    cudaGetLastError();
    free(s);
    return st;
}

static aim_gpu_status cuda_alloc(aim_gpu_pool *pool, size_t size, void **out)
{
    cuda_pool_state *s = pool->backend_state;
    device_guard g;
    cudaError_t err = guard_enter(&g, guard_device(pool));
    if (err != cudaSuccess) {
        return cuda_fail(AIM_GPU_ERR_BACKEND, "cudaSetDevice", err);
    }
    void *p = NULL;
    err = cudaMallocFromPoolAsync(&p, size, s->pool, s->stream);
    if (err == cudaSuccess) {
        err = cudaStreamSynchronize(s->stream);
        if (err != cudaSuccess) {
            cudaFreeAsync(p, s->stream);
            p = NULL;
        }
    }
    guard_leave(&g);
    if (err == cudaSuccess) {
        *out = p;
        return AIM_GPU_OK;
    }
    cudaGetLastError(); /* allocation failures are not sticky; clear the record */
    if (err == cudaErrorMemoryAllocation) {
        /* Past the pool cap -> the distinct quota code; else the device is full. */
        uint64_t reserved = 0;
        cudaMemPoolGetAttribute(s->pool, cudaMemPoolAttrReservedMemCurrent, &reserved);
        if (s->max_size != 0 && reserved + size > s->max_size) {
            return aim_set_error(AIM_GPU_ERR_QUOTA_EXCEEDED,
                                 "cudaMallocFromPoolAsync(%zu): pool cap %llu reached (reserved %llu)",
                                 size, (unsigned long long)s->max_size,
                                 (unsigned long long)reserved);
        }
        return cuda_fail(AIM_GPU_ERR_OUT_OF_MEMORY, "cudaMallocFromPoolAsync", err);
    }
    return cuda_fail(AIM_GPU_ERR_BACKEND, "cudaMallocFromPoolAsync", err);
}

static aim_gpu_status cuda_free(aim_gpu_pool *pool, void *ptr)
{
    cuda_pool_state *s = pool->backend_state;
    device_guard g;
    cudaError_t err = guard_enter(&g, guard_device(pool));
    if (err != cudaSuccess) {
        return cuda_fail(AIM_GPU_ERR_BACKEND, "cudaSetDevice", err);
    }
    err = cudaFreeAsync(ptr, s->stream);
    if (err == cudaSuccess) {
        /* Freed memory past the release threshold goes back at this sync. */
        err = cudaStreamSynchronize(s->stream);
    }
    guard_leave(&g);
    if (err != cudaSuccess) {
        cudaGetLastError();
        return cuda_fail(AIM_GPU_ERR_BACKEND, "cudaFreeAsync", err);
    }
    return AIM_GPU_OK;
}

static void cuda_free_many(aim_gpu_pool *pool, void *const *ptrs, size_t n)
{
    cuda_pool_state *s = pool->backend_state;
    device_guard g;
    if (guard_enter(&g, guard_device(pool)) != cudaSuccess) {
        cudaGetLastError();
        return;
    }
    for (size_t i = 0; i < n; i++) {
        cudaFreeAsync(ptrs[i], s->stream);
    }
    cudaStreamSynchronize(s->stream);
    cudaGetLastError();
    guard_leave(&g);
}

static aim_gpu_status cuda_reserved(aim_gpu_pool *pool, uint64_t *reserved)
{
    cuda_pool_state *s = pool->backend_state;
    uint64_t v = 0;
    cudaError_t err = cudaMemPoolGetAttribute(s->pool, cudaMemPoolAttrReservedMemCurrent, &v);
    if (err != cudaSuccess) {
        cudaGetLastError();
        return cuda_fail(AIM_GPU_ERR_BACKEND, "cudaMemPoolGetAttribute(ReservedMemCurrent)", err);
    }
    *reserved = v;
    return AIM_GPU_OK;
}

static void cuda_destroy(aim_gpu_pool *pool)
{
    cuda_pool_state *s = pool->backend_state;
    if (s == NULL) {
        return;
    }
    device_guard g;
    int entered = guard_enter(&g, guard_device(pool)) == cudaSuccess;
    cudaStreamSynchronize(s->stream);
    cudaStreamDestroy(s->stream);
    cudaMemPoolDestroy(s->pool);
    cudaGetLastError();
    if (entered) {
        guard_leave(&g);
    }
    free(s);
    pool->backend_state = NULL;
}

const aim_backend_ops aim_backend_cuda_ops = {
    .id = AIM_GPU_BACKEND_CUDA,
    .alloc_under_lock = 0,
    .create = cuda_create,
    .alloc = cuda_alloc,
    .free = cuda_free,
    .free_many = cuda_free_many,
    .reserved = cuda_reserved,
    .destroy = cuda_destroy,
    .query = cuda_query,
    .scan = cuda_scan,
};
