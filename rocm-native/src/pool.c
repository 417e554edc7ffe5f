/*
 * Backend-independent part of the memory-quota pools: argument checks, the
 * quota accounting and the pointer table. The quota is checked before the
 * backend is asked for memory, so an over-quota request never reaches
 * malloc/cudaMalloc* and is reported as AIM_GPU_ERR_QUOTA_EXCEEDED even when
 * the device could not have satisfied it either.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define AIM_POOL_MAGIC 0x41494d50u /* "AIMP" */

static inline int pool_ok(const aim_gpu_pool *pool)
{
    return pool != NULL && pool->magic == AIM_POOL_MAGIC;
}

static inline void notify(aim_gpu_pool *pool)
{
    if (AIM_UNLIKELY(pool->observer != NULL)) {
        pool->observer(pool->observer_arg, pool->used, pool->quota);
    }
}

aim_gpu_status aim_gpu_pool_create(aim_gpu_backend backend, int device, uint64_t quota_bytes,
                                   uint64_t release_threshold_bytes, aim_gpu_pool **out)
{
    if (out == NULL) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "out is NULL");
    }
    *out = NULL;
    if ((int)backend < 0 || backend >= AIM_GPU_BACKEND_COUNT) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "unknown backend %d", (int)backend);
    }
    if (quota_bytes == 0 || quota_bytes > (uint64_t)INT64_MAX) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT,
                             "quota must be in 1..INT64_MAX bytes, got %llu",
                             (unsigned long long)quota_bytes);
    }
    if (device < 0) {
        return aim_set_error(AIM_GPU_ERR_NO_DEVICE, "negative device index %d", device);
    }
    const aim_backend_ops *ops = aim_backend_ops_for(backend);
    if (ops == NULL) {
        return aim_set_error(AIM_GPU_ERR_BACKEND_UNAVAILABLE,
                             "%s backend not compiled into this libaimgpu build",
                             aim_gpu_backend_name(backend));
    }
    aim_gpu_pool *pool = calloc(1, sizeof *pool);
    if (pool == NULL) {
        return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "calloc(pool) failed");
    }
    pool->ops = ops;
    pool->device = device;
    pool->quota = quota_bytes;
    pool->release_threshold = release_threshold_bytes;
    aim_ptr_table_init(&pool->table);
    if (pthread_mutex_init(&pool->lock, NULL) != 0) {
        free(pool);
        return aim_set_error(AIM_GPU_ERR_INTERNAL, "pthread_mutex_init failed");
    }
    aim_gpu_status st = ops->create(pool, device, quota_bytes, release_threshold_bytes);
    if (st != AIM_GPU_OK) {
        pthread_mutex_destroy(&pool->lock);
        free(pool);
        return st; /* the backend set the detail */
    }
    pool->magic = AIM_POOL_MAGIC;
    *out = pool;
    return AIM_GPU_OK;
}

static aim_gpu_status quota_refusal(aim_gpu_pool *pool, size_t size, uint64_t used)
{
    return aim_set_error(AIM_GPU_ERR_QUOTA_EXCEEDED,
                         "%zu bytes requested, %llu of %llu bytes in use", size,
                         (unsigned long long)used, (unsigned long long)pool->quota);
}

/* Host path: malloc and the table update happen in one critical section. */
static aim_gpu_status alloc_locked(aim_gpu_pool *pool, size_t size, void **out)
{
    pthread_mutex_lock(&pool->lock);
    uint64_t used = pool->used;
    if (AIM_UNLIKELY(!pool->accounting_disabled && size > pool->quota - used)) {
        pool->failed_count++;
        pool->quota_rejected_count++;
        pthread_mutex_unlock(&pool->lock);
        return quota_refusal(pool, size, used);
    }
    void *p = NULL;
    aim_gpu_status st = pool->ops->alloc(pool, size, &p);
    if (AIM_UNLIKELY(st != AIM_GPU_OK)) {
        pool->failed_count++;
        if (st == AIM_GPU_ERR_QUOTA_EXCEEDED) {
            pool->quota_rejected_count++;
        }
        pthread_mutex_unlock(&pool->lock);
        return st;
    }
    if (AIM_UNLIKELY(aim_ptr_table_put(&pool->table, (uintptr_t)p, size) != 0)) {
        pool->ops->free(pool, p);
        pool->failed_count++;
        pthread_mutex_unlock(&pool->lock);
        return aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "growing the pointer table failed");
    }
    pool->used = used + size;
    if (pool->used > pool->high_water) {
        pool->high_water = pool->used;
    }
    pool->alloc_count++;
    notify(pool);
    pthread_mutex_unlock(&pool->lock);
    *out = p;
    return AIM_GPU_OK;
}

/*
 * Device path: reserve the bytes under the lock, call the runtime outside it
 * (it may synchronise a stream), then record the pointer or give the bytes
 * back. `used` therefore counts allocations in flight, so concurrent callers
 * can never jointly pass the quota.
 */
static aim_gpu_status alloc_reserving(aim_gpu_pool *pool, size_t size, void **out)
{
    pthread_mutex_lock(&pool->lock);
    uint64_t used = pool->used;
    if (!pool->accounting_disabled && size > pool->quota - used) {
        pool->failed_count++;
        pool->quota_rejected_count++;
        pthread_mutex_unlock(&pool->lock);
        return quota_refusal(pool, size, used);
    }
    if (!pool->accounting_disabled) {
        pool->used = used + size;
        if (pool->used > pool->high_water) {
            pool->high_water = pool->used;
        }
        notify(pool);
    }
    pthread_mutex_unlock(&pool->lock);

    void *p = NULL;
    aim_gpu_status st = pool->ops->alloc(pool, size, &p);

    pthread_mutex_lock(&pool->lock);
    if (st == AIM_GPU_OK && aim_ptr_table_put(&pool->table, (uintptr_t)p, size) != 0) {
        pthread_mutex_unlock(&pool->lock);
        pool->ops->free(pool, p);
        pthread_mutex_lock(&pool->lock);
        st = aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "growing the pointer table failed");
    }
    if (st != AIM_GPU_OK) {
        if (!pool->accounting_disabled) {
            pool->used -= size;
            notify(pool);
        }
        pool->failed_count++;
        if (st == AIM_GPU_ERR_QUOTA_EXCEEDED) {
            pool->quota_rejected_count++;
        }
        pthread_mutex_unlock(&pool->lock);
        return st;
    }
    if (pool->accounting_disabled) {
        pool->used += size;
        if (pool->used > pool->high_water) {
            pool->high_water = pool->used;
        }
    }
    pool->alloc_count++;
    pthread_mutex_unlock(&pool->lock);
    *out = p;
    return AIM_GPU_OK;
}

aim_gpu_status aim_gpu_pool_alloc(aim_gpu_pool *pool, size_t size, void **out)
{
    if (AIM_UNLIKELY(!pool_ok(pool) || out == NULL)) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "pool or out is NULL/invalid");
    }
    *out = NULL;
    /* A negative Java long arrives here as a size above INT64_MAX. */
    if (AIM_UNLIKELY(size == 0 || size > (size_t)INT64_MAX)) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT,
                             "size must be in 1..INT64_MAX, got %zu (as signed: %lld)", size,
                             (long long)(int64_t)size);
    }
    return pool->ops->alloc_under_lock ? alloc_locked(pool, size, out)
                                       : alloc_reserving(pool, size, out);
}

aim_gpu_status aim_gpu_pool_free(aim_gpu_pool *pool, void *ptr)
{
    if (AIM_UNLIKELY(!pool_ok(pool))) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "pool is NULL/invalid");
    }
    if (AIM_UNLIKELY(ptr == NULL)) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "ptr is NULL");
    }
    uint64_t size = 0;
    pthread_mutex_lock(&pool->lock);
    if (AIM_UNLIKELY(!aim_ptr_table_remove(&pool->table, (uintptr_t)ptr, &size))) {
        pthread_mutex_unlock(&pool->lock);
        return aim_set_error(AIM_GPU_ERR_UNKNOWN_POINTER,
                             "%p is not a live allocation of this pool", ptr);
    }
    if (pool->ops->alloc_under_lock) {
        pool->ops->free(pool, ptr);
        pool->used -= size;
        pool->free_count++;
        notify(pool);
        pthread_mutex_unlock(&pool->lock);
        return AIM_GPU_OK;
    }
    pthread_mutex_unlock(&pool->lock);

    /* Give the bytes back only once the runtime has them, so `used` never
     * under-counts what the device holds for this pool. */
    aim_gpu_status st = pool->ops->free(pool, ptr);

    pthread_mutex_lock(&pool->lock);
    pool->used -= size;
    pool->free_count++;
    notify(pool);
    pthread_mutex_unlock(&pool->lock);
    return st;
}

aim_gpu_status aim_gpu_pool_stats_get(aim_gpu_pool *pool, aim_gpu_pool_stats *out)
{
    if (!pool_ok(pool) || out == NULL) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "pool or out is NULL/invalid");
    }
    memset(out, 0, sizeof *out);
    out->backend = pool->ops->id;
    out->device = pool->device;
    out->quota_bytes = pool->quota;
    pthread_mutex_lock(&pool->lock);
    out->used_bytes = pool->used;
    out->high_water_bytes = pool->high_water;
    out->alloc_count = pool->alloc_count;
    out->free_count = pool->free_count;
    out->failed_alloc_count = pool->failed_count;
    out->quota_rejected_count = pool->quota_rejected_count;
    out->live_allocations = pool->table.count;
    pthread_mutex_unlock(&pool->lock);
    out->reserved_bytes = out->used_bytes;
    if (pool->ops->reserved != NULL) {
        uint64_t reserved = 0;
        aim_gpu_status st = pool->ops->reserved(pool, &reserved);
        if (st != AIM_GPU_OK) {
            return st;
        }
        out->reserved_bytes = reserved;
    }
    return AIM_GPU_OK;
}

aim_gpu_status aim_gpu_pool_destroy(aim_gpu_pool *pool, uint64_t *outstanding)
{
    if (!pool_ok(pool)) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "pool is NULL/invalid");
    }
    pthread_mutex_lock(&pool->lock);
    pool->magic = 0;
    size_t live = pool->table.count;
    void **ptrs = NULL;
    if (live > 0) {
        ptrs = malloc(live * sizeof *ptrs);
        size_t n = 0;
        for (size_t i = 0; i < pool->table.capacity; i++) {
            uintptr_t key = pool->table.keys[i];
            if (key == 0) {
                continue;
            }
            if (ptrs != NULL) {
                ptrs[n++] = (void *)key;
            } else {
                pool->ops->free(pool, (void *)key); /* no memory for the batch: one by one */
            }
        }
        if (ptrs != NULL) {
            pool->ops->free_many(pool, ptrs, n);
            free(ptrs);
        }
    }
    aim_ptr_table_release(&pool->table);
    pthread_mutex_unlock(&pool->lock);
    pool->ops->destroy(pool);
    pthread_mutex_destroy(&pool->lock);
    free(pool);
    if (outstanding != NULL) {
        *outstanding = live;
    }
    return AIM_GPU_OK;
}

void aim_pool_test_set_observer(aim_gpu_pool *pool, aim_pool_observer observer, void *arg)
{
    pthread_mutex_lock(&pool->lock);
    pool->observer = observer;
    pool->observer_arg = arg;
    pthread_mutex_unlock(&pool->lock);
}

void aim_pool_test_disable_accounting(aim_gpu_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    pool->accounting_disabled = 1;
    pthread_mutex_unlock(&pool->lock);
}
