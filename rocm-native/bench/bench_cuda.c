/*
 * CUDA part of the benchmark. Two baselines per size:
 *   - cudaMallocAsync/cudaFreeAsync on the device's default pool (what a
 *     program without libaimgpu would do);
 *   - cudaMallocFromPoolAsync on a bare cudaMemPool created with the same
 *     properties as the quota pool's (maxSize, release threshold), which
 *     isolates the library's own cost from the choice of pool.
 * Every loop synchronises its stream after each alloc and each free, as the
 * quota pool does.
 */
#include "bench.h"

#include <cuda_runtime_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct cuda_raw_ctx {
    cudaStream_t stream;
    cudaMemPool_t pool; /* NULL: cudaMallocAsync on the default pool */
} cuda_raw_ctx;

static double cuda_raw(void *ctx, size_t size, long iters)
{
    const cuda_raw_ctx *c = ctx;
    int errors = 0;
    double t0 = bench_now_ns();
    for (long i = 0; i < iters; i++) {
        void *p = NULL;
        if (c->pool != NULL) {
            errors += cudaMallocFromPoolAsync(&p, size, c->pool, c->stream) != cudaSuccess;
        } else {
            errors += cudaMallocAsync(&p, size, c->stream) != cudaSuccess;
        }
        errors += cudaStreamSynchronize(c->stream) != cudaSuccess;
        errors += cudaFreeAsync(p, c->stream) != cudaSuccess;
        errors += cudaStreamSynchronize(c->stream) != cudaSuccess;
    }
    double ns = (bench_now_ns() - t0) / (double)iters;
    if (errors) {
        fprintf(stderr, "cuda raw loop: %d errors\n", errors);
        exit(1);
    }
    return ns;
}

int bench_cuda(void)
{
    const uint64_t quota = (uint64_t)1 << 32;
    cudaMemPool_t def;
    cudaStream_t stream;
    if (cudaSetDevice(0) != cudaSuccess || cudaDeviceGetDefaultMemPool(&def, 0) != cudaSuccess ||
        cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking) != cudaSuccess) {
        fprintf(stderr, "cuda setup failed\n");
        return 1;
    }
    {
        int dev = 0;
        long n = bench_scaled(200000);
        double t0 = bench_now_ns();
        for (long i = 0; i < n; i++) {
            cudaGetDevice(&dev);
        }
        bench_note("- cudaGetDevice: %.1f ns per call (the pool skips it when one device is visible)",
                   (bench_now_ns() - t0) / (double)n);
    }
    uint64_t saved = 0;
    cudaMemPoolGetAttribute(def, cudaMemPoolAttrReleaseThreshold, &saved);
    static const size_t sizes[] = {256, 64u << 10, 4u << 20};
    static const uint64_t thresholds[] = {UINT64_MAX, 0};
    for (int t = 0; t < 2; t++) {
        uint64_t thr = thresholds[t];
        cudaMemPoolSetAttribute(def, cudaMemPoolAttrReleaseThreshold, &thr);

        struct cudaMemPoolProps props;
        memset(&props, 0, sizeof props);
        props.allocType = cudaMemAllocationTypePinned;
        props.handleTypes = cudaMemHandleTypeNone;
        props.location.type = cudaMemLocationTypeDevice;
        props.location.id = 0;
#if CUDART_VERSION >= 12020
        props.maxSize = (size_t)quota;
#endif
        cudaMemPool_t bare;
        if (cudaMemPoolCreate(&bare, &props) != cudaSuccess ||
            cudaMemPoolSetAttribute(bare, cudaMemPoolAttrReleaseThreshold, &thr) != cudaSuccess) {
            fprintf(stderr, "cuda bare pool setup failed\n");
            return 1;
        }
        aim_gpu_pool *pool = NULL;
        if (aim_gpu_pool_create(AIM_GPU_BACKEND_CUDA, 0, quota, thr, &pool) != AIM_GPU_OK) {
            fprintf(stderr, "cuda pool: %s\n", aim_gpu_last_error_detail());
            return 1;
        }
        cuda_raw_ctx on_default = {stream, NULL};
        cuda_raw_ctx on_bare = {stream, bare};
        const char *thr_name = t == 0 ? "release thr. max" : "release thr. 0";
        char name_default[96], name_bare[96];
        snprintf(name_default, sizeof name_default, "cudaMallocAsync, default pool, %s", thr_name);
        snprintf(name_bare, sizeof name_bare, "cudaMallocFromPoolAsync, bare pool, %s", thr_name);
        long iters = bench_scaled(t == 0 ? 3000 : 400);
        for (int i = 0; i < 3; i++) {
            bench_row("cuda", name_default, sizes[i], iters, cuda_raw, &on_default,
                      bench_pool_loop, pool);
            bench_row("cuda", name_bare, sizes[i], iters, cuda_raw, &on_bare, bench_pool_loop,
                      pool);
        }
        aim_gpu_pool_destroy(pool, NULL);
        cudaMemPoolDestroy(bare);
    }
    cudaMemPoolSetAttribute(def, cudaMemPoolAttrReleaseThreshold, &saved);
    cudaStreamDestroy(stream);
    return 0;
}
