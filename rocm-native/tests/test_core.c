/*
 * Core tests: status codes, backend queries, the pointer table, the host
 * pool, and the per-process VRAM loaders (absent libraries and fakes).
 */
#include "harness.h"
#include "internal.h"

#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>

static char g_fakes_dir[PATH_MAX - 256];

/* ------------------------------------------------------------ status -- */

static void test_strerror_covers_every_code(void)
{
    for (int a = 0; a < AIM_GPU_STATUS_COUNT; a++) {
        const char *m = aim_gpu_strerror(a);
        CHECK(m != NULL && m[0] != '\0');
        CHECK(strcmp(m, aim_gpu_strerror(-1)) != 0);
        CHECK(strncmp(aim_gpu_status_name(a), "AIM_GPU_", 8) == 0);
        for (int b = 0; b < a; b++) {
            CHECK(strcmp(m, aim_gpu_strerror(b)) != 0);
            CHECK(strcmp(aim_gpu_status_name(a), aim_gpu_status_name(b)) != 0);
        }
    }
    CHECK(strstr(aim_gpu_strerror(AIM_GPU_ERR_QUOTA_EXCEEDED), "quota") != NULL);
    CHECK(strstr(aim_gpu_strerror(AIM_GPU_ERR_UNKNOWN_POINTER), "double free") != NULL);
    CHECK(strstr(aim_gpu_strerror(AIM_GPU_ERR_UNAVAILABLE), "unavailable") != NULL);
    CHECK(strstr(aim_gpu_strerror(AIM_GPU_ERR_SYSFS_PARSE), "sysfs") != NULL);
    CHECK(strcmp(aim_gpu_strerror(AIM_GPU_STATUS_COUNT), "unknown libaimgpu status code") == 0);
    CHECK(strcmp(aim_gpu_strerror(-7), "unknown libaimgpu status code") == 0);
    CHECK(strcmp(aim_gpu_strerror(100000), "unknown libaimgpu status code") == 0);
    CHECK(strcmp(aim_gpu_status_name(AIM_GPU_ERR_QUOTA_EXCEEDED), "AIM_GPU_ERR_QUOTA_EXCEEDED") == 0);
}

static void test_version_lists_compiled_backends(void)
{
    const char *v = aim_gpu_version();
    printf("     version: %s\n", v);
    CHECK(strstr(v, "host") != NULL);
    CHECK((strstr(v, "cuda") != NULL) == aim_gpu_backend_compiled(AIM_GPU_BACKEND_CUDA));
    CHECK((strstr(v, " hip") != NULL) == aim_gpu_backend_compiled(AIM_GPU_BACKEND_HIP));
}

static void test_backend_queries(void)
{
    aim_gpu_backend_info info;
    CHECK(aim_gpu_backend_compiled(AIM_GPU_BACKEND_HOST) == 1);
    CHECK(aim_gpu_backend_compiled((aim_gpu_backend)42) == 0);
    CHECK_STATUS(aim_gpu_backend_query(AIM_GPU_BACKEND_HOST, &info), AIM_GPU_OK);
    CHECK(info.compiled == 1 && info.usable == 1 && info.device_count == 1);
    CHECK_STATUS(aim_gpu_backend_query((aim_gpu_backend)42, &info), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_backend_query(AIM_GPU_BACKEND_HOST, NULL), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK(strcmp(aim_gpu_backend_name(AIM_GPU_BACKEND_CUDA), "cuda") == 0);
    CHECK(strcmp(aim_gpu_backend_name((aim_gpu_backend)9), "unknown") == 0);

    for (int b = AIM_GPU_BACKEND_CUDA; b <= AIM_GPU_BACKEND_HIP; b++) {
        aim_gpu_status st = aim_gpu_backend_query((aim_gpu_backend)b, &info);
        printf("     %s: compiled=%d usable=%d devices=%d cap_by_runtime=%d detail='%s'\n",
               aim_gpu_backend_name((aim_gpu_backend)b), info.compiled, info.usable,
               info.device_count, info.pool_cap_enforced_by_runtime, info.detail);
        CHECK(info.compiled == aim_gpu_backend_compiled((aim_gpu_backend)b));
        CHECK(info.detail[0] != '\0');
        if (st == AIM_GPU_OK) {
            CHECK(info.usable == 1 && info.device_count > 0);
        } else {
            CHECK_STATUS(st, AIM_GPU_ERR_BACKEND_UNAVAILABLE);
            CHECK(info.usable == 0);
            /* A pool on an unusable backend is refused with the same code. */
            aim_gpu_pool *pool = (aim_gpu_pool *)(uintptr_t)1; /* must be overwritten */
            CHECK_STATUS(aim_gpu_pool_create((aim_gpu_backend)b, 0, 1 << 20, 0, &pool),
                         AIM_GPU_ERR_BACKEND_UNAVAILABLE);
            CHECK(pool == NULL);
            CHECK(aim_gpu_last_error_detail()[0] != '\0');
        }
    }
}

static void test_host_device_scan(void)
{
    aim_gpu_device_list *list = NULL;
    CHECK_STATUS(aim_gpu_device_scan(AIM_GPU_BACKEND_HOST, &list), AIM_GPU_OK);
    CHECK(aim_gpu_device_list_count(list) == 1);
    aim_gpu_device_info d;
    CHECK_STATUS(aim_gpu_device_list_get(list, 0, &d), AIM_GPU_OK);
    CHECK(d.kind == AIM_GPU_NODE_HOST && d.total_memory_bytes > 0 && d.card == -1);
    CHECK_STATUS(aim_gpu_device_list_get(list, 1, &d), AIM_GPU_ERR_NO_DEVICE);
    CHECK_STATUS(aim_gpu_device_list_get(NULL, 0, &d), AIM_GPU_ERR_INVALID_ARGUMENT);
    aim_gpu_device_list_free(list);
    aim_gpu_device_list_free(NULL);
    CHECK_STATUS(aim_gpu_device_scan((aim_gpu_backend)7, &list), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_device_scan(AIM_GPU_BACKEND_HOST, NULL), AIM_GPU_ERR_INVALID_ARGUMENT);
}

/* ------------------------------------------------------- pointer table -- */

static uint64_t xorshift(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* Random puts/removes against a plain array as the reference model. */
static void test_ptr_table_matches_reference(void)
{
    enum { N = 4096 };
    static uintptr_t ref_keys[N];
    static uint64_t ref_sizes[N];
    static int ref_live[N];
    aim_ptr_table t;
    aim_ptr_table_init(&t);
    uint64_t seed = 0x1234567u;
    size_t live = 0;
    int mismatches = 0;
    for (size_t i = 0; i < N; i++) {
        /* Dense, aligned keys, as an allocator hands them out. */
        ref_keys[i] = (uintptr_t)0x7f0000000000ull + i * 64u;
        ref_sizes[i] = i * 3 + 1;
    }
    for (int op = 0; op < 200000; op++) {
        size_t i = (size_t)(xorshift(&seed) % N);
        if (ref_live[i]) {
            uint64_t size = 0;
            mismatches += aim_ptr_table_remove(&t, ref_keys[i], &size) != 1;
            mismatches += size != ref_sizes[i];
            ref_live[i] = 0;
            live--;
            mismatches += aim_ptr_table_remove(&t, ref_keys[i], &size) != 0; /* double */
        } else {
            mismatches += aim_ptr_table_contains(&t, ref_keys[i]) != 0;
            mismatches += aim_ptr_table_put(&t, ref_keys[i], ref_sizes[i]) != 0;
            ref_live[i] = 1;
            live++;
        }
        if (op % 10007 == 0) {
            for (size_t k = 0; k < N; k++) {
                mismatches += aim_ptr_table_contains(&t, ref_keys[k]) != ref_live[k];
            }
        }
    }
    CHECK(mismatches == 0);
    CHECK(t.count == live);
    CHECK(t.count * 2 <= t.capacity);
    CHECK(aim_ptr_table_contains(&t, 0) == 0);
    aim_ptr_table_release(&t);
    CHECK(t.capacity == 0 && t.count == 0);
}

/* ----------------------------------------------------------- host pool -- */

static void check_stats(aim_gpu_pool *pool, uint64_t used, uint64_t high, uint64_t allocs,
                        uint64_t frees, uint64_t failed, uint64_t live)
{
    aim_gpu_pool_stats s;
    CHECK_STATUS(aim_gpu_pool_stats_get(pool, &s), AIM_GPU_OK);
    CHECK_EQ_U64(s.used_bytes, used);
    CHECK_EQ_U64(s.reserved_bytes, used); /* host: reserved == used */
    CHECK_EQ_U64(s.high_water_bytes, high);
    CHECK_EQ_U64(s.alloc_count, allocs);
    CHECK_EQ_U64(s.free_count, frees);
    CHECK_EQ_U64(s.failed_alloc_count, failed);
    CHECK_EQ_U64(s.live_allocations, live);
}

static void test_host_pool_create_arguments(void)
{
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, 0, 0, &pool),
                 AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, (uint64_t)INT64_MAX + 1, 0, &pool),
                 AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, 1024, 0, NULL),
                 AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_pool_create((aim_gpu_backend)-1, 0, 1024, 0, &pool),
                 AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 1, 1024, 0, &pool),
                 AIM_GPU_ERR_NO_DEVICE);
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, -1, 1024, 0, &pool),
                 AIM_GPU_ERR_NO_DEVICE);
    CHECK(pool == NULL);
    CHECK_STATUS(aim_gpu_pool_destroy(NULL, NULL), AIM_GPU_ERR_INVALID_ARGUMENT);
    aim_gpu_pool_stats s;
    CHECK_STATUS(aim_gpu_pool_stats_get(NULL, &s), AIM_GPU_ERR_INVALID_ARGUMENT);
    void *p = NULL;
    CHECK_STATUS(aim_gpu_pool_alloc(NULL, 16, &p), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_pool_free(NULL, &p), AIM_GPU_ERR_INVALID_ARGUMENT);
}

static void test_host_pool_alloc_free_stats_quota(void)
{
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, 1000, 0, &pool), AIM_GPU_OK);
    if (pool == NULL) {
        return;
    }
    check_stats(pool, 0, 0, 0, 0, 0, 0);
    void *a = NULL, *b = NULL, *c = NULL;
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 100, &a), AIM_GPU_OK);
    CHECK(a != NULL);
    memset(a, 0xab, 100); /* the memory is really ours */
    check_stats(pool, 100, 100, 1, 0, 0, 1);
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 900, &b), AIM_GPU_OK); /* exactly the quota */
    memset(b, 0xcd, 900);
    check_stats(pool, 1000, 1000, 2, 0, 0, 2);

    c = (void *)&c;
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 1, &c), AIM_GPU_ERR_QUOTA_EXCEEDED);
    CHECK(c == NULL);
    CHECK(strstr(aim_gpu_last_error_detail(), "1000") != NULL);
    check_stats(pool, 1000, 1000, 2, 0, 1, 2);

    aim_gpu_pool_stats s;
    CHECK_STATUS(aim_gpu_pool_stats_get(pool, &s), AIM_GPU_OK);
    CHECK_EQ_U64(s.quota_rejected_count, 1);
    CHECK_EQ_U64(s.quota_bytes, 1000);
    CHECK(s.backend == AIM_GPU_BACKEND_HOST && s.device == 0);

    CHECK_STATUS(aim_gpu_pool_free(pool, a), AIM_GPU_OK);
    check_stats(pool, 900, 1000, 2, 1, 1, 1);
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 100, &c), AIM_GPU_OK); /* room again */
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 1, &a), AIM_GPU_ERR_QUOTA_EXCEEDED);
    CHECK_STATUS(aim_gpu_pool_free(pool, b), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_free(pool, c), AIM_GPU_OK);
    check_stats(pool, 0, 1000, 3, 3, 2, 0);

    uint64_t outstanding = 99;
    CHECK_STATUS(aim_gpu_pool_destroy(pool, &outstanding), AIM_GPU_OK);
    CHECK_EQ_U64(outstanding, 0);
}

static void test_host_pool_double_free_and_foreign_pointers(void)
{
    aim_gpu_pool *pool = NULL, *other = NULL;
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, 1 << 20, 0, &pool), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, 1 << 20, 0, &other), AIM_GPU_OK);
    if (pool == NULL || other == NULL) {
        return;
    }
    void *p = NULL, *q = NULL;
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 64, &p), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_alloc(other, 64, &q), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_free(pool, p), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_free(pool, p), AIM_GPU_ERR_UNKNOWN_POINTER); /* double free */
    CHECK_STATUS(aim_gpu_pool_free(pool, q), AIM_GPU_ERR_UNKNOWN_POINTER); /* other pool's */
    int on_stack = 0;
    CHECK_STATUS(aim_gpu_pool_free(pool, &on_stack), AIM_GPU_ERR_UNKNOWN_POINTER);
    void *raw = malloc(32);
    CHECK_STATUS(aim_gpu_pool_free(pool, raw), AIM_GPU_ERR_UNKNOWN_POINTER);
    free(raw); /* still ours to free: the pool did not touch it */
    CHECK_STATUS(aim_gpu_pool_free(pool, (char *)q + 8), AIM_GPU_ERR_UNKNOWN_POINTER);
    CHECK_STATUS(aim_gpu_pool_free(pool, NULL), AIM_GPU_ERR_INVALID_ARGUMENT);
    check_stats(pool, 0, 64, 1, 1, 0, 0); /* unchanged by the refused frees */
    CHECK_STATUS(aim_gpu_pool_free(other, q), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_destroy(pool, NULL), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_destroy(other, NULL), AIM_GPU_OK);
}

static void test_host_pool_rejects_zero_and_negative_sizes(void)
{
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, (uint64_t)INT64_MAX, 0, &pool),
                 AIM_GPU_OK);
    if (pool == NULL) {
        return;
    }
    void *p = (void *)&p;
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 0, &p), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK(p == NULL);
    /* A Java long of -1 / Long.MIN_VALUE, cast to size_t by the binding. */
    CHECK_STATUS(aim_gpu_pool_alloc(pool, (size_t)(int64_t)-1, &p), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_pool_alloc(pool, (size_t)INT64_MIN, &p), AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 16, NULL), AIM_GPU_ERR_INVALID_ARGUMENT);
    /* Within the quota but beyond any machine: malloc fails -> OUT_OF_MEMORY, not QUOTA. */
    CHECK_STATUS(aim_gpu_pool_alloc(pool, (size_t)INT64_MAX, &p), AIM_GPU_ERR_OUT_OF_MEMORY);
    aim_gpu_pool_stats s;
    CHECK_STATUS(aim_gpu_pool_stats_get(pool, &s), AIM_GPU_OK);
    CHECK_EQ_U64(s.failed_alloc_count, 1);
    CHECK_EQ_U64(s.quota_rejected_count, 0);
    CHECK_EQ_U64(s.used_bytes, 0);
    CHECK_STATUS(aim_gpu_pool_destroy(pool, NULL), AIM_GPU_OK);
}

static void test_host_pool_over_quota_never_reaches_malloc(void)
{
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, 4096, 0, &pool), AIM_GPU_OK);
    if (pool == NULL) {
        return;
    }
    void *p = NULL;
    /* Larger than any machine: the quota decides first, so the code is QUOTA. */
    CHECK_STATUS(aim_gpu_pool_alloc(pool, (size_t)1 << 60, &p), AIM_GPU_ERR_QUOTA_EXCEEDED);
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 4097, &p), AIM_GPU_ERR_QUOTA_EXCEEDED);
    CHECK_STATUS(aim_gpu_pool_destroy(pool, NULL), AIM_GPU_OK);
}

static void test_host_pool_destroy_frees_outstanding(void)
{
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, 1 << 30, 0, &pool), AIM_GPU_OK);
    if (pool == NULL) {
        return;
    }
    void *p = NULL;
    for (int i = 0; i < 5; i++) {
        CHECK_STATUS(aim_gpu_pool_alloc(pool, 1000 + (size_t)i, &p), AIM_GPU_OK);
    }
    CHECK_STATUS(aim_gpu_pool_free(pool, p), AIM_GPU_OK);
    uint64_t outstanding = 0;
    /* LeakSanitizer (make asan) fails the run if destroy leaks any of the 4. */
    CHECK_STATUS(aim_gpu_pool_destroy(pool, &outstanding), AIM_GPU_OK);
    CHECK_EQ_U64(outstanding, 4);
}

static void test_host_pool_many_allocations(void)
{
    enum { N = 20000 };
    static void *ptrs[N];
    static size_t sizes[N];
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, (uint64_t)1 << 32, 0, &pool),
                 AIM_GPU_OK);
    if (pool == NULL) {
        return;
    }
    uint64_t seed = 42, total = 0;
    int bad = 0;
    for (size_t i = 0; i < N; i++) {
        sizes[i] = 1 + (size_t)(xorshift(&seed) % 4096);
        bad += aim_gpu_pool_alloc(pool, sizes[i], &ptrs[i]) != AIM_GPU_OK;
        memset(ptrs[i], (int)(i & 0xff), sizes[i]);
        total += sizes[i];
    }
    CHECK(bad == 0);
    aim_gpu_pool_stats s;
    CHECK_STATUS(aim_gpu_pool_stats_get(pool, &s), AIM_GPU_OK);
    CHECK_EQ_U64(s.used_bytes, total);
    CHECK_EQ_U64(s.live_allocations, N);
    /* Free in a shuffled order; contents must be intact (no overlap). */
    for (size_t i = N - 1; i > 0; i--) {
        size_t j = (size_t)(xorshift(&seed) % (i + 1));
        void *tp = ptrs[i];
        ptrs[i] = ptrs[j];
        ptrs[j] = tp;
        size_t ts = sizes[i];
        sizes[i] = sizes[j];
        sizes[j] = ts;
    }
    int corrupt = 0;
    for (size_t i = 0; i < N; i++) {
        const unsigned char *b = ptrs[i];
        for (size_t k = 1; k < sizes[i]; k++) {
            corrupt += b[k] != b[0];
        }
        bad += aim_gpu_pool_free(pool, ptrs[i]) != AIM_GPU_OK;
    }
    CHECK(corrupt == 0);
    CHECK(bad == 0);
    CHECK_STATUS(aim_gpu_pool_stats_get(pool, &s), AIM_GPU_OK);
    CHECK_EQ_U64(s.used_bytes, 0);
    CHECK_EQ_U64(s.high_water_bytes, total);
    CHECK_EQ_U64(s.alloc_count, N);
    CHECK_EQ_U64(s.free_count, N);
    CHECK_STATUS(aim_gpu_pool_destroy(pool, NULL), AIM_GPU_OK);
}

/* ---------------------------------------------------------------- VRAM -- */

static void set_vram_libraries(const char *nvml, const char *amdsmi, const char *rocm_smi)
{
    setenv("AIM_GPU_NVML_LIBRARY", nvml, 1);
    setenv("AIM_GPU_AMDSMI_LIBRARY", amdsmi, 1);
    setenv("AIM_GPU_ROCM_SMI_LIBRARY", rocm_smi, 1);
}

static void clear_vram_libraries(void)
{
    unsetenv("AIM_GPU_NVML_LIBRARY");
    unsetenv("AIM_GPU_AMDSMI_LIBRARY");
    unsetenv("AIM_GPU_ROCM_SMI_LIBRARY");
    unsetenv("FAKE_NVML_FAIL_INIT");
}

static void fake_path(char *out, size_t n, const char *lib)
{
    int len = snprintf(out, n, "%s/%s", g_fakes_dir, lib);
    if (len < 0 || (size_t)len >= n) {
        abort();
    }
}

static void test_vram_unavailable_when_libraries_absent(void)
{
    aim_gpu_process_vram procs[4];
    size_t count = 77;
    aim_gpu_vram_source used = AIM_GPU_VRAM_NVML;
    set_vram_libraries("/nonexistent/libnvidia-ml.so.1", "/nonexistent/libamd_smi.so",
                       "/nonexistent/librocm_smi64.so");
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_AUTO, 0, procs, 4, &count, &used),
                 AIM_GPU_ERR_UNAVAILABLE);
    CHECK(strstr(aim_gpu_last_error_detail(), "nvml") != NULL);
    for (int s = AIM_GPU_VRAM_NVML; s <= AIM_GPU_VRAM_ROCM_SMI; s++) {
        CHECK_STATUS(aim_gpu_process_vram_list((aim_gpu_vram_source)s, 0, procs, 4, &count, NULL),
                     AIM_GPU_ERR_UNAVAILABLE);
    }
    clear_vram_libraries();
    CHECK_STATUS(aim_gpu_process_vram_list((aim_gpu_vram_source)9, 0, procs, 4, &count, NULL),
                 AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_NVML, 0, procs, 4, NULL, NULL),
                 AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_NVML, 0, NULL, 4, &count, NULL),
                 AIM_GPU_ERR_INVALID_ARGUMENT);
    CHECK(strcmp(aim_gpu_vram_source_name(AIM_GPU_VRAM_ROCM_SMI), "rocm_smi") == 0);
}

/* The default sonames: UNAVAILABLE exactly when the dynamic loader cannot find them. */
static void test_vram_default_library_lookup(void)
{
    static const struct {
        aim_gpu_vram_source source;
        const char *soname;
    } libs[] = {
        {AIM_GPU_VRAM_NVML, "libnvidia-ml.so.1"},
        {AIM_GPU_VRAM_AMDSMI, "libamd_smi.so"},
        {AIM_GPU_VRAM_ROCM_SMI, "librocm_smi64.so"},
    };
    clear_vram_libraries();
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        void *h = dlopen(libs[i].soname, RTLD_LAZY | RTLD_LOCAL);
        int present = h != NULL;
        if (h != NULL) {
            dlclose(h);
        }
        aim_gpu_process_vram procs[64];
        size_t count = 0;
        aim_gpu_status st = aim_gpu_process_vram_list(libs[i].source, 0, procs, 64, &count, NULL);
        printf("     %s: %s -> %s%s%s%s\n", libs[i].soname, present ? "present" : "absent",
               aim_gpu_status_name(st), st != AIM_GPU_OK ? " (" : "",
               st != AIM_GPU_OK ? aim_gpu_last_error_detail() : "", st != AIM_GPU_OK ? ")" : "");
        if (!present) {
            CHECK_STATUS(st, AIM_GPU_ERR_UNAVAILABLE);
        } else {
            CHECK(st != AIM_GPU_ERR_INVALID_ARGUMENT && st != AIM_GPU_ERR_INTERNAL);
        }
    }
}

static void test_vram_fake_nvml(void)
{
    char lib[PATH_MAX];
    fake_path(lib, sizeof lib, "libfake_nvml.so");
    set_vram_libraries(lib, "/nonexistent", "/nonexistent");
    aim_gpu_process_vram procs[8];
    size_t count = 0;
    aim_gpu_vram_source used = AIM_GPU_VRAM_AUTO;
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_NVML, 0, procs, 8, &count, &used),
                 AIM_GPU_OK);
    CHECK(used == AIM_GPU_VRAM_NVML);
    CHECK_EQ_U64(count, 3);
    if (count == 3) {
        CHECK(procs[0].pid == 100 && procs[0].used_bytes == (1u << 20));
        CHECK(procs[1].pid == 200 && procs[1].used_bytes == (uint64_t)2 << 30);
        CHECK(procs[2].pid == 300 && procs[2].used_bytes == AIM_GPU_VRAM_UNKNOWN);
    }
    /* AUTO falls through the absent AMD libraries to NVML. */
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_AUTO, 0, procs, 8, &count, &used),
                 AIM_GPU_OK);
    CHECK(used == AIM_GPU_VRAM_NVML && count == 3);
    /* Too small an array: the first entries and the full count. */
    memset(procs, 0, sizeof procs);
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_NVML, 0, procs, 2, &count, NULL),
                 AIM_GPU_ERR_BUFFER_TOO_SMALL);
    CHECK(count == 3 && procs[1].pid == 200 && procs[2].pid == 0);
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_NVML, 0, NULL, 0, &count, NULL),
                 AIM_GPU_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ_U64(count, 3);
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_NVML, 1, procs, 8, &count, NULL),
                 AIM_GPU_OK);
    CHECK_EQ_U64(count, 0);
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_NVML, 2, procs, 8, &count, NULL),
                 AIM_GPU_ERR_NO_DEVICE);
    setenv("FAKE_NVML_FAIL_INIT", "1", 1);
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_NVML, 0, procs, 8, &count, NULL),
                 AIM_GPU_ERR_UNAVAILABLE);
    CHECK(strstr(aim_gpu_last_error_detail(), "nvmlInit") != NULL);
    clear_vram_libraries();
}

static void test_vram_fake_rocm_smi(void)
{
    char lib[PATH_MAX];
    fake_path(lib, sizeof lib, "libfake_rocm_smi.so");
    set_vram_libraries("/nonexistent", "/nonexistent", lib);
    aim_gpu_process_vram procs[8];
    size_t count = 0;
    aim_gpu_vram_source used = AIM_GPU_VRAM_NVML;
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_AUTO, 0, procs, 8, &count, &used),
                 AIM_GPU_OK);
    CHECK(used == AIM_GPU_VRAM_ROCM_SMI);
    CHECK_EQ_U64(count, 2); /* pid 22 holds nothing on device 0 */
    if (count == 2) {
        CHECK(procs[0].pid == 11 && procs[0].used_bytes == 4096);
        CHECK(procs[1].pid == 33 && procs[1].used_bytes == (uint64_t)8 << 30);
    }
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_ROCM_SMI, 1, procs, 8, &count, NULL),
                 AIM_GPU_OK);
    CHECK(count == 1 && procs[0].pid == 22 && procs[0].used_bytes == (1u << 20));
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_ROCM_SMI, 2, procs, 8, &count, NULL),
                 AIM_GPU_ERR_NO_DEVICE);
    clear_vram_libraries();
}

static void test_vram_fake_amdsmi(void)
{
    char lib[PATH_MAX];
    fake_path(lib, sizeof lib, "libfake_amdsmi.so");
    set_vram_libraries("/nonexistent", lib, "/nonexistent");
    aim_gpu_process_vram procs[8];
    size_t count = 0;
    aim_gpu_vram_source used = AIM_GPU_VRAM_NVML;
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_AUTO, 2, procs, 8, &count, &used),
                 AIM_GPU_OK); /* device 2 = socket 1, processor 0 */
    CHECK(used == AIM_GPU_VRAM_AMDSMI);
    CHECK_EQ_U64(count, 2);
    if (count == 2) {
        CHECK(procs[0].pid == 7 && procs[0].used_bytes == 123456);
        CHECK(procs[1].pid == 8 && procs[1].used_bytes == 0);
    }
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_AMDSMI, 0, procs, 8, &count, NULL),
                 AIM_GPU_OK);
    CHECK_EQ_U64(count, 0);
    CHECK_STATUS(aim_gpu_process_vram_list(AIM_GPU_VRAM_AMDSMI, 4, procs, 8, &count, NULL),
                 AIM_GPU_ERR_NO_DEVICE); /* 2 sockets x 2 GPUs */
    clear_vram_libraries();
}

int main(int argc, char **argv)
{
    (void)argc;
    char self[PATH_MAX];
    aim_copy_string(self, sizeof self, argv[0]);
    snprintf(g_fakes_dir, sizeof g_fakes_dir, "%s/fakes", dirname(self));

    RUN(test_strerror_covers_every_code);
    RUN(test_version_lists_compiled_backends);
    RUN(test_backend_queries);
    RUN(test_host_device_scan);
    RUN(test_ptr_table_matches_reference);
    RUN(test_host_pool_create_arguments);
    RUN(test_host_pool_alloc_free_stats_quota);
    RUN(test_host_pool_double_free_and_foreign_pointers);
    RUN(test_host_pool_rejects_zero_and_negative_sizes);
    RUN(test_host_pool_over_quota_never_reaches_malloc);
    RUN(test_host_pool_destroy_frees_outstanding);
    RUN(test_host_pool_many_allocations);
    RUN(test_vram_unavailable_when_libraries_absent);
    RUN(test_vram_default_library_lookup);
    RUN(test_vram_fake_nvml);
    RUN(test_vram_fake_rocm_smi);
    RUN(test_vram_fake_amdsmi);
    return h_finish();
}
