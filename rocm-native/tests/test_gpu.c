/*
 * Device-backend tests, compiled once for CUDA (-DTEST_CUDA) and once for HIP
 * (-DTEST_HIP). Without a usable device they print SKIP with the runtime's
 * reason and pass, unless AIM_GPU_REQUIRE_CUDA=1 / AIM_GPU_REQUIRE_HIP=1 is
 * set (gpu-check.sh sets it), in which case that is a failure.
 */
#include "harness.h"
#include "internal.h"

#include <stdint.h>
#include <unistd.h>

#if defined(TEST_CUDA)
#include <cuda_runtime_api.h>
#define BACKEND AIM_GPU_BACKEND_CUDA
#define REQUIRE_VAR "AIM_GPU_REQUIRE_CUDA"
#define rtMemset cudaMemset
#define rtMemcpy cudaMemcpy
#define rtMemcpyDeviceToHost cudaMemcpyDeviceToHost
#define rtMemGetInfo cudaMemGetInfo
#define rtDeviceSynchronize cudaDeviceSynchronize
#define rtSuccess cudaSuccess
#elif defined(TEST_HIP)
#include <hip/hip_runtime_api.h>
#define BACKEND AIM_GPU_BACKEND_HIP
#define REQUIRE_VAR "AIM_GPU_REQUIRE_HIP"
#define rtMemset hipMemset
#define rtMemcpy hipMemcpy
#define rtMemcpyDeviceToHost hipMemcpyDeviceToHost
#define rtMemGetInfo hipMemGetInfo
#define rtDeviceSynchronize hipDeviceSynchronize
#define rtSuccess hipSuccess
#else
#error "compile with -DTEST_CUDA or -DTEST_HIP"
#endif

#define MiB (UINT64_C(1) << 20)

static aim_gpu_backend_info g_info;

/* The memory is real device memory: set it on the device, read it back. */
static int device_bytes_are(void *dptr, size_t size, unsigned char value)
{
    if (rtMemset(dptr, value, size) != rtSuccess) {
        return 0;
    }
    unsigned char probe[256];
    size_t n = size < sizeof probe ? size : sizeof probe;
    if (rtMemcpy(probe, (char *)dptr + (size - n), n, rtMemcpyDeviceToHost) != rtSuccess) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (probe[i] != value) {
            return 0;
        }
    }
    return 1;
}

static void test_device_scan(void)
{
    aim_gpu_device_list *list = NULL;
    CHECK_STATUS(aim_gpu_device_scan(BACKEND, &list), AIM_GPU_OK);
    CHECK((int)aim_gpu_device_list_count(list) == g_info.device_count);
    for (size_t i = 0; i < aim_gpu_device_list_count(list); i++) {
        aim_gpu_device_info d;
        CHECK_STATUS(aim_gpu_device_list_get(list, i, &d), AIM_GPU_OK);
        printf("     device %zu: %s, %.1f GiB, bus %s\n", i, d.name,
               (double)d.total_memory_bytes / (double)(1u << 30), d.bus_id);
        CHECK(d.name[0] != '\0' && d.total_memory_bytes > 0);
        CHECK_STATUS(d.partition_status, AIM_GPU_ERR_NOT_SUPPORTED);
    }
    aim_gpu_device_list_free(list);
}

static void test_pool_alloc_free_stats_quota(void)
{
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(BACKEND, 0, 64 * MiB, 0, &pool), AIM_GPU_OK);
    if (pool == NULL) {
        return;
    }
    void *p[5] = {0};
    for (int i = 0; i < 4; i++) {
        CHECK_STATUS(aim_gpu_pool_alloc(pool, 16 * MiB, &p[i]), AIM_GPU_OK);
        if (p[i] != NULL) {
            CHECK(device_bytes_are(p[i], 16 * MiB, (unsigned char)(0x10 + i)));
        }
    }
    aim_gpu_pool_stats s;
    CHECK_STATUS(aim_gpu_pool_stats_get(pool, &s), AIM_GPU_OK);
    CHECK_EQ_U64(s.used_bytes, 64 * MiB);
    CHECK(s.reserved_bytes >= 64 * MiB);
    printf("     64 MiB used: reserved %llu bytes\n", (unsigned long long)s.reserved_bytes);

    CHECK_STATUS(aim_gpu_pool_alloc(pool, 1, &p[4]), AIM_GPU_ERR_QUOTA_EXCEEDED);
    CHECK(p[4] == NULL);
    CHECK_STATUS(aim_gpu_pool_stats_get(pool, &s), AIM_GPU_OK);
    CHECK_EQ_U64(s.failed_alloc_count, 1);
    CHECK_EQ_U64(s.quota_rejected_count, 1);
    CHECK_EQ_U64(s.high_water_bytes, 64 * MiB);
    CHECK_EQ_U64(s.live_allocations, 4);

    CHECK_STATUS(aim_gpu_pool_free(pool, p[0]), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_free(pool, p[0]), AIM_GPU_ERR_UNKNOWN_POINTER);
    int host_var = 0;
    CHECK_STATUS(aim_gpu_pool_free(pool, &host_var), AIM_GPU_ERR_UNKNOWN_POINTER);
    CHECK_STATUS(aim_gpu_pool_free(pool, (char *)p[1] + 256), AIM_GPU_ERR_UNKNOWN_POINTER);
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 0, &p[4]), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_pool_alloc(pool, (size_t)(int64_t)-5, &p[4]), AIM_GPU_ERR_INVALID_ARGUMENT);
    for (int i = 1; i < 4; i++) {
        CHECK_STATUS(aim_gpu_pool_free(pool, p[i]), AIM_GPU_OK);
    }
    CHECK_STATUS(aim_gpu_pool_stats_get(pool, &s), AIM_GPU_OK);
    CHECK_EQ_U64(s.used_bytes, 0);
    CHECK_EQ_U64(s.alloc_count, 4);
    CHECK_EQ_U64(s.free_count, 4);
    /* Release threshold 0: the runtime returns freed memory at the free's sync. */
    printf("     after freeing all (release threshold 0): reserved %llu bytes\n",
           (unsigned long long)s.reserved_bytes);
    CHECK(s.reserved_bytes < 64 * MiB);
    CHECK_STATUS(aim_gpu_pool_destroy(pool, NULL), AIM_GPU_OK);
}

static void test_release_threshold_keeps_memory(void)
{
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(BACKEND, 0, 64 * MiB, UINT64_MAX, &pool), AIM_GPU_OK);
    if (pool == NULL) {
        return;
    }
    void *p = NULL;
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 32 * MiB, &p), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_free(pool, p), AIM_GPU_OK);
    aim_gpu_pool_stats s;
    CHECK_STATUS(aim_gpu_pool_stats_get(pool, &s), AIM_GPU_OK);
    printf("     after free with release threshold max: used %llu, reserved %llu\n",
           (unsigned long long)s.used_bytes, (unsigned long long)s.reserved_bytes);
    CHECK_EQ_U64(s.used_bytes, 0);
    CHECK(s.reserved_bytes >= 32 * MiB); /* cached, not returned */
    CHECK_STATUS(aim_gpu_pool_destroy(pool, NULL), AIM_GPU_OK);
}

/*
 * With the library's accounting switched off, only the runtime's maxSize cap
 * stands: its cudaErrorMemoryAllocation must come back as QUOTA_EXCEEDED.
 */
static void test_runtime_cap_maps_to_quota_code(void)
{
    if (!g_info.pool_cap_enforced_by_runtime) {
        h_skip("this %s build has no pool maxSize: quota is accounting-only",
               aim_gpu_backend_name(BACKEND));
        return;
    }
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(BACKEND, 0, 32 * MiB, 0, &pool), AIM_GPU_OK);
    if (pool == NULL) {
        return;
    }
    aim_pool_test_disable_accounting(pool);
    void *ptrs[64] = {0};
    int n = 0;
    aim_gpu_status st = AIM_GPU_OK;
    while (n < 64) { /* at most 512 MiB if the cap were ignored */
        st = aim_gpu_pool_alloc(pool, 8 * MiB, &ptrs[n]);
        if (st != AIM_GPU_OK) {
            break;
        }
        n++;
    }
    printf("     accounting off, cap 32 MiB: %d x 8 MiB succeeded, then %s (%s)\n", n,
           aim_gpu_status_name(st), aim_gpu_last_error_detail());
    CHECK_STATUS(st, AIM_GPU_ERR_QUOTA_EXCEEDED);
    CHECK(n >= 1 && n <= 4);
    aim_gpu_pool_stats s;
    CHECK_STATUS(aim_gpu_pool_stats_get(pool, &s), AIM_GPU_OK);
    CHECK_EQ_U64(s.quota_rejected_count, 1);
    uint64_t outstanding = 0;
    CHECK_STATUS(aim_gpu_pool_destroy(pool, &outstanding), AIM_GPU_OK);
    CHECK_EQ_U64(outstanding, (uint64_t)n);
}

/* Destroy with live allocations gives the memory back: repeat and watch free memory. */
static void test_destroy_with_outstanding_does_not_leak(void)
{
    size_t free_before = 0, free_after = 0, total = 0;
    rtDeviceSynchronize();
    CHECK(rtMemGetInfo(&free_before, &total) == rtSuccess);
    for (int round = 0; round < 20; round++) {
        aim_gpu_pool *pool = NULL;
        CHECK_STATUS(aim_gpu_pool_create(BACKEND, 0, 256 * MiB, 0, &pool), AIM_GPU_OK);
        if (pool == NULL) {
            return;
        }
        void *p = NULL;
        for (int i = 0; i < 3; i++) {
            CHECK_STATUS(aim_gpu_pool_alloc(pool, 64 * MiB, &p), AIM_GPU_OK);
        }
        uint64_t outstanding = 0;
        CHECK_STATUS(aim_gpu_pool_destroy(pool, &outstanding), AIM_GPU_OK);
        CHECK_EQ_U64(outstanding, 3);
    }
    rtDeviceSynchronize();
    CHECK(rtMemGetInfo(&free_after, &total) == rtSuccess);
    long long lost = (long long)free_before - (long long)free_after;
    printf("     20 pools x 192 MiB left live then destroyed: device free memory %+lld MiB\n",
           -lost / (long long)MiB);
    CHECK(lost < (long long)(64 * MiB)); /* far below the 3.75 GiB a leak would cost */
}

static void test_bad_device_and_arguments(void)
{
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(BACKEND, g_info.device_count, MiB, 0, &pool),
                 AIM_GPU_ERR_NO_DEVICE);
    CHECK_STATUS(aim_gpu_pool_create(BACKEND, -1, MiB, 0, &pool), AIM_GPU_ERR_NO_DEVICE);
    CHECK_STATUS(aim_gpu_pool_create(BACKEND, 0, 0, 0, &pool), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK(pool == NULL);
}

static void test_small_allocations_and_granularity(void)
{
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(BACKEND, 0, 4096, 0, &pool), AIM_GPU_OK);
    if (pool == NULL) {
        return;
    }
    void *a = NULL, *b = NULL, *c = NULL;
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 1000, &a), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 3096, &b), AIM_GPU_OK); /* exactly the quota */
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 1, &c), AIM_GPU_ERR_QUOTA_EXCEEDED);
    if (a != NULL) {
        CHECK(device_bytes_are(a, 1000, 0x5a));
    }
    CHECK_STATUS(aim_gpu_pool_free(pool, a), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_free(pool, b), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_destroy(pool, NULL), AIM_GPU_OK);
}

/* NVML / rocm-smi sees this process holding memory while a pool has some. */
static void test_process_vram_sees_this_process(void)
{
    aim_gpu_vram_source source =
        BACKEND == AIM_GPU_BACKEND_CUDA ? AIM_GPU_VRAM_NVML : AIM_GPU_VRAM_AUTO;
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(BACKEND, 0, 128 * MiB, 0, &pool), AIM_GPU_OK);
    void *p = NULL;
    if (pool != NULL) {
        CHECK_STATUS(aim_gpu_pool_alloc(pool, 96 * MiB, &p), AIM_GPU_OK);
    }
    aim_gpu_process_vram procs[256];
    size_t count = 0;
    aim_gpu_status st = aim_gpu_process_vram_list(source, 0, procs, 256, &count, NULL);
    if (st == AIM_GPU_ERR_UNAVAILABLE) {
        h_skip("no management library: %s", aim_gpu_last_error_detail());
    } else {
        CHECK_STATUS(st, AIM_GPU_OK);
        int found = 0;
        for (size_t i = 0; i < count && i < 256; i++) {
            printf("     pid %u: %llu MiB%s\n", procs[i].pid,
                   procs[i].used_bytes == AIM_GPU_VRAM_UNKNOWN
                       ? 0ull
                       : (unsigned long long)(procs[i].used_bytes / MiB),
                   procs[i].pid == (uint32_t)getpid() ? " (this process)" : "");
            found |= procs[i].pid == (uint32_t)getpid();
        }
        if (!found) {
            /* In a container the library reports host PIDs; not a failure. */
            printf("     this process (pid %d) not listed: PID namespace differs?\n", (int)getpid());
        }
        CHECK(count >= 1);
    }
    if (pool != NULL) {
        CHECK_STATUS(aim_gpu_pool_destroy(pool, NULL), AIM_GPU_OK);
    }
}

int main(void)
{
    h_current = "backend_query";
    aim_gpu_status st = aim_gpu_backend_query(BACKEND, &g_info);
    printf("     %s: %s\n", aim_gpu_backend_name(BACKEND), g_info.detail);
    if (st != AIM_GPU_OK) {
        const char *require = getenv(REQUIRE_VAR);
        if (require != NULL && require[0] == '1') {
            fprintf(stderr, "FAIL: %s=1 but the backend is unavailable: %s\n", REQUIRE_VAR,
                    g_info.detail);
            h_failed++;
            return h_finish();
        }
        h_skip("no usable %s device: %s", aim_gpu_backend_name(BACKEND), g_info.detail);
        /* What still must hold without a device. */
        aim_gpu_pool *pool = NULL;
        CHECK_STATUS(aim_gpu_pool_create(BACKEND, 0, MiB, 0, &pool),
                     AIM_GPU_ERR_BACKEND_UNAVAILABLE);
        CHECK(pool == NULL);
        return h_finish();
    }
    RUN(test_device_scan);
    RUN(test_bad_device_and_arguments);
    RUN(test_pool_alloc_free_stats_quota);
    RUN(test_small_allocations_and_granularity);
    RUN(test_release_threshold_keeps_memory);
    RUN(test_runtime_cap_maps_to_quota_code);
    RUN(test_destroy_with_outstanding_does_not_leak);
    RUN(test_process_vram_sees_this_process);
    return h_finish();
}
