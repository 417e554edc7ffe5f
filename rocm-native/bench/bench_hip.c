/*
 * HIP part of the benchmark, mirroring bench_cuda.c: hipMallocAsync on the
 * default pool, and hipMallocFromPoolAsync on a bare pool with the quota
 * pool's properties, against aim_gpu_pool. Compile-checked only so far.
 */
#include "bench.h"

#include <hip/hip_runtime_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct hip_raw_ctx {
    hipStream_t stream;
    hipMemPool_t pool; /* NULL: hipMallocAsync on the default pool */
} hip_raw_ctx;

static double hip_raw(void *ctx, size_t size, long iters)
{
    const hip_raw_ctx *c = ctx;
    int errors = 0;
    double t0 = bench_now_ns();
    for (long i = 0; i < iters; i++) {
        void *p = NULL;
        if (c->pool != NULL) {
            errors += hipMallocFromPoolAsync(&p, size, c->pool, c->stream) != hipSuccess;
        } else {
            errors += hipMallocAsync(&p, size, c->stream) != hipSuccess;
        }
        errors += hipStreamSynchronize(c->stream) != hipSuccess;
        errors += hipFreeAsync(p, c->stream) != hipSuccess;
        errors += hipStreamSynchronize(c->stream) != hipSuccess;
    }
    double ns = (bench_now_ns() - t0) / (double)iters;
    if (errors) {
        fprintf(stderr, "hip raw loop: %d errors\n", errors);
        exit(1);
    }
    return ns;
}

int bench_hip(void)
{
    const uint64_t quota = (uint64_t)1 << 32;
    uint64_t thr = UINT64_MAX;
    hipStream_t stream;
    if (hipSetDevice(0) != hipSuccess ||
        hipStreamCreateWithFlags(&stream, hipStreamNonBlocking) != hipSuccess) {
        fprintf(stderr, "hip setup failed\n");
        return 1;
    }
    hipMemPoolProps props;
    memset(&props, 0, sizeof props);
    props.allocType = hipMemAllocationTypePinned;
    props.handleTypes = hipMemHandleTypeNone;
    props.location.type = hipMemLocationTypeDevice;
    props.location.id = 0;
#ifdef AIM_GPU_HIP_HAVE_MAXSIZE
    props.maxSize = (size_t)quota;
#endif
    hipMemPool_t bare;
    if (hipMemPoolCreate(&bare, &props) != hipSuccess ||
        hipMemPoolSetAttribute(bare, hipMemPoolAttrReleaseThreshold, &thr) != hipSuccess) {
        fprintf(stderr, "hip bare pool setup failed\n");
        return 1;
    }
    aim_gpu_pool *pool = NULL;
    if (aim_gpu_pool_create(AIM_GPU_BACKEND_HIP, 0, quota, thr, &pool) != AIM_GPU_OK) {
        fprintf(stderr, "hip pool: %s\n", aim_gpu_last_error_detail());
        return 1;
    }
    hip_raw_ctx on_default = {stream, NULL};
    hip_raw_ctx on_bare = {stream, bare};
    static const size_t sizes[] = {256, 64u << 10, 4u << 20};
    for (int i = 0; i < 3; i++) {
        bench_row("hip", "hipMallocAsync, default pool", sizes[i], bench_scaled(3000), hip_raw,
                  &on_default, bench_pool_loop, pool);
        bench_row("hip", "hipMallocFromPoolAsync, bare pool", sizes[i], bench_scaled(3000),
                  hip_raw, &on_bare, bench_pool_loop, pool);
    }
    aim_gpu_pool_destroy(pool, NULL);
    (void)hipMemPoolDestroy(bare);
    (void)hipStreamDestroy(stream);
    return 0;
}
