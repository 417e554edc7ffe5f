/*
 * Host backend: plain malloc/free under the pool's quota accounting. It exists
 * so that the same code paths (and the JNI binding) run on machines without a
 * GPU; it caps only what goes through the pool, like the device backends.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static aim_gpu_status host_create(aim_gpu_pool *pool, int device, uint64_t quota,
                                  uint64_t release_threshold)
{
    (void)pool;
    (void)quota;
    (void)release_threshold; /* malloc has no per-pool cache to trim */
    if (device != 0) {
        return aim_set_error(AIM_GPU_ERR_NO_DEVICE,
                             "host backend has one device (0), got %d", device);
    }
    return AIM_GPU_OK;
}

static aim_gpu_status host_alloc(aim_gpu_pool *pool, size_t size, void **out)
{
    (void)pool;
    void *p = malloc(size);
    if (AIM_UNLIKELY(p == NULL)) {
        return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "malloc(%zu) failed", size);
    }
    *out = p;
    return AIM_GPU_OK;
}

static aim_gpu_status host_free(aim_gpu_pool *pool, void *ptr)
{
    (void)pool;
    free(ptr);
    return AIM_GPU_OK;
}

static void host_free_many(aim_gpu_pool *pool, void *const *ptrs, size_t n)
{
    (void)pool;
    for (size_t i = 0; i < n; i++) {
        free(ptrs[i]);
    }
}

static void host_destroy(aim_gpu_pool *pool)
{
    (void)pool;
}

static uint64_t physical_ram(void)
{
    long pages = sysconf(_SC_PHYS_PAGES);
    long page_size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page_size <= 0) {
        return 0;
    }
    return (uint64_t)pages * (uint64_t)page_size;
}

static aim_gpu_status host_query(aim_gpu_backend_info *info)
{
    info->device_count = 1;
    info->pool_cap_enforced_by_runtime = 0;
    snprintf(info->detail, sizeof info->detail,
             "host memory via malloc; quota enforced by accounting");
    return AIM_GPU_OK;
}

static aim_gpu_status host_scan(aim_gpu_device_list **out)
{
    aim_gpu_device_list *list = aim_device_list_new();
    aim_gpu_device_info *d = list ? aim_device_list_append(list) : NULL;
    if (d == NULL) {
        aim_gpu_device_list_free(list);
        return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "device list allocation failed");
    }
    d->card = -1;
    d->kind = AIM_GPU_NODE_HOST;
    d->parent_index = -1;
    aim_copy_string(d->name, sizeof d->name, "host memory");
    d->total_memory_bytes = physical_ram();
    d->partition_status = AIM_GPU_ERR_NOT_SUPPORTED;
    *out = list;
    return AIM_GPU_OK;
}

const aim_backend_ops aim_backend_host_ops = {
    .id = AIM_GPU_BACKEND_HOST,
    .alloc_under_lock = 1,
    .create = host_create,
    .alloc = host_alloc,
    .free = host_free,
    .free_many = host_free_many,
    .reserved = NULL,
    .destroy = host_destroy,
    .query = host_query,
    .scan = host_scan,
};
