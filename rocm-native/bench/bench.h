/* Shared pieces of the benchmark; the CUDA and HIP parts live in their own
 * translation units because the two runtimes' headers cannot be combined. */
#ifndef AIM_GPU_BENCH_H
#define AIM_GPU_BENCH_H

#include "aim_gpu.h"

#include <stddef.h>

/* One measured loop of `iters` alloc+free pairs; returns ns per pair. */
typedef double (*loop_fn)(void *ctx, size_t size, long iters);

double bench_now_ns(void);
long bench_scaled(long iters);
/* The quota-pool loop; ctx is an aim_gpu_pool *. */
double bench_pool_loop(void *ctx, size_t size, long iters);
/* Measures raw and pool alternately and prints one Markdown row. */
void bench_row(const char *backend, const char *raw_name, size_t size, long iters, loop_fn raw,
               void *raw_ctx, loop_fn pool, void *pool_ctx);

/* Adds a line to the notes printed under the table. */
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int bench_cuda(void);
int bench_hip(void);

#endif
