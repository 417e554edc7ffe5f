/*
 * Links libaimgpu.so (not the archive): the public API works through the
 * shared library and only the aim_gpu_* API is exported.
 */
#include "harness.h"

#include <dlfcn.h>

static void test_public_api_through_shared_library(void)
{
    CHECK(strstr(aim_gpu_version(), "host") != NULL);
    CHECK(strcmp(aim_gpu_status_name(AIM_GPU_ERR_QUOTA_EXCEEDED), "AIM_GPU_ERR_QUOTA_EXCEEDED") == 0);
    aim_gpu_pool *pool = NULL;
    CHECK_STATUS(aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, 128, 0, &pool), AIM_GPU_OK);
    void *p = NULL;
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 128, &p), AIM_GPU_OK);
    CHECK_STATUS(aim_gpu_pool_alloc(pool, 1, &p), AIM_GPU_ERR_QUOTA_EXCEEDED);
    uint64_t outstanding = 0;
    CHECK_STATUS(aim_gpu_pool_destroy(pool, &outstanding), AIM_GPU_OK);
    CHECK(outstanding == 1);
}

static void test_only_public_symbols_exported(void)
{
    void *self = dlopen(NULL, RTLD_NOW);
    CHECK(self != NULL);
    static const char *const exported[] = {
        "aim_gpu_strerror", "aim_gpu_pool_create", "aim_gpu_pool_alloc", "aim_gpu_pool_free",
        "aim_gpu_pool_stats_get", "aim_gpu_pool_destroy", "aim_gpu_sysfs_scan",
        "aim_gpu_device_scan", "aim_gpu_process_vram_list", "aim_gpu_backend_query",
        "aim_gpu_last_error_detail", "aim_gpu_parse_compute_partition",
    };
    for (size_t i = 0; i < sizeof exported / sizeof exported[0]; i++) {
        if (dlsym(self, exported[i]) == NULL) {
            fprintf(stderr, "not exported: %s\n", exported[i]);
            CHECK(0);
        }
    }
    static const char *const hidden[] = {
        "aim_ptr_table_put", "aim_set_error", "aim_backend_host_ops", "aim_pool_test_set_observer",
    };
    for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
        if (dlsym(self, hidden[i]) != NULL) {
            fprintf(stderr, "exported but internal: %s\n", hidden[i]);
            CHECK(0);
        }
    }
    CHECK(1);
    dlclose(self);
}

int main(void)
{
    RUN(test_public_api_through_shared_library);
    RUN(test_only_public_symbols_exported);
    return h_finish();
}
