/*
 * Internal declarations shared by the library's translation units and by the
 * C tests, which link the static archive. Nothing here is exported from
 * libaimgpu.so (default visibility is hidden).
 */
#ifndef AIM_GPU_INTERNAL_H
#define AIM_GPU_INTERNAL_H

#include "aim_gpu.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>

#if defined(__GNUC__)
#define AIM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define AIM_LIKELY(x) __builtin_expect(!!(x), 1)
#define AIM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define AIM_PRINTF(a, b)
#define AIM_LIKELY(x) (x)
#define AIM_UNLIKELY(x) (x)
#endif

/* ---- thread-local error detail ------------------------------------ */

/** Records a detail message for aim_gpu_last_error_detail() and returns status. */
aim_gpu_status aim_set_error(aim_gpu_status status, const char *fmt, ...) AIM_PRINTF(2, 3);
void aim_clear_error(void);

/* ---- pointer -> size table (open addressing, backward-shift delete) -- */

typedef struct aim_ptr_table {
    uintptr_t *keys;   /* 0 = empty slot */
    uint64_t *sizes;
    size_t capacity;   /* power of two, or 0 before first insert */
    size_t count;
    unsigned shift;    /* 64 - log2(capacity), for Fibonacci hashing */
} aim_ptr_table;

void aim_ptr_table_init(aim_ptr_table *t);
void aim_ptr_table_release(aim_ptr_table *t);
/** 0 on success, -1 if growing the table failed (out of memory). Key must be non-zero and absent. */
int aim_ptr_table_put(aim_ptr_table *t, uintptr_t key, uint64_t size);
/** 1 and *size if removed, 0 if absent. */
int aim_ptr_table_remove(aim_ptr_table *t, uintptr_t key, uint64_t *size);
int aim_ptr_table_contains(const aim_ptr_table *t, uintptr_t key);

/* ---- backends -------------------------------------------------------- */

typedef struct aim_backend_ops {
    aim_gpu_backend id;
    /* Host: malloc/free are cheap, so they run inside the pool lock and the
     * accounting is exact at every instant. Device backends reserve quota
     * under the lock and call the runtime outside it. */
    int alloc_under_lock;
    aim_gpu_status (*create)(aim_gpu_pool *pool, int device, uint64_t quota,
                             uint64_t release_threshold);
    aim_gpu_status (*alloc)(aim_gpu_pool *pool, size_t size, void **out);
    aim_gpu_status (*free)(aim_gpu_pool *pool, void *ptr);
    /* Frees many pointers at once (used by destroy). */
    void (*free_many)(aim_gpu_pool *pool, void *const *ptrs, size_t n);
    aim_gpu_status (*reserved)(aim_gpu_pool *pool, uint64_t *reserved);
    void (*destroy)(aim_gpu_pool *pool);
    aim_gpu_status (*query)(aim_gpu_backend_info *info);
    aim_gpu_status (*scan)(aim_gpu_device_list **out);
} aim_backend_ops;

extern const aim_backend_ops aim_backend_host_ops;
#ifdef AIM_GPU_WITH_CUDA
extern const aim_backend_ops aim_backend_cuda_ops;
#endif
#ifdef AIM_GPU_WITH_HIP
extern const aim_backend_ops aim_backend_hip_ops;
#endif

const aim_backend_ops *aim_backend_ops_for(aim_gpu_backend backend);

/* ---- pools ------------------------------------------------------------ */

typedef void (*aim_pool_observer)(void *arg, uint64_t used, uint64_t quota);

struct aim_gpu_pool {
    uint32_t magic;
    const aim_backend_ops *ops;
    void *backend_state;
    int device;
    uint64_t quota;
    uint64_t release_threshold;
    pthread_mutex_t lock;
    /* Everything below is guarded by `lock`. */
    aim_ptr_table table;
    uint64_t used;
    uint64_t high_water;
    uint64_t alloc_count;
    uint64_t free_count;
    uint64_t failed_count;
    uint64_t quota_rejected_count;
    /* Test hooks (see aim_pool_test_*). */
    aim_pool_observer observer;
    void *observer_arg;
    int accounting_disabled;
};

/**
 * Test hook: `observer` is called inside the pool's critical section after
 * every change of `used`, so a test can check the quota invariant at the
 * exact moment it could break.
 */
void aim_pool_test_set_observer(aim_gpu_pool *pool, aim_pool_observer observer, void *arg);

/**
 * Test hook: turns the library's quota check off so that only the runtime's
 * own pool cap (maxSize) stands; lets a GPU test prove the mapping of
 * cudaErrorMemoryAllocation to AIM_GPU_ERR_QUOTA_EXCEEDED.
 */
void aim_pool_test_disable_accounting(aim_gpu_pool *pool);

/* ---- device lists ---------------------------------------------------- */

struct aim_gpu_device_list {
    aim_gpu_device_info *items;
    size_t count;
    size_t capacity;
};

aim_gpu_device_list *aim_device_list_new(void);
/** Appends a zeroed entry with index set; NULL on out of memory. */
aim_gpu_device_info *aim_device_list_append(aim_gpu_device_list *list);

/** Copies src into dst (size dst_size), always NUL-terminating. */
void aim_copy_string(char *dst, size_t dst_size, const char *src);

/** Rounds up to a multiple of `align` (a power of two); saturates at UINT64_MAX rounded down. */
uint64_t aim_round_up(uint64_t value, uint64_t align);

#endif /* AIM_GPU_INTERNAL_H */
