/*
 * Alloc+free latency through a quota pool against the raw backend, side by
 * side in one run, printed as a Markdown table.
 *
 *   host: malloc/free                               vs aim_gpu_pool (host)
 *   cuda: cudaMallocAsync/cudaFreeAsync on the
 *         device's default pool + stream syncs      vs aim_gpu_pool (cuda)
 *   hip:  hipMallocAsync/hipFreeAsync likewise      vs aim_gpu_pool (hip)
 *
 * Each pair is one allocation and one free of the same size, single thread.
 * Raw and pool loops alternate within each round (and swap order every round)
 * so drift on a shared machine hits both; the median round is reported.
 * The device pool synchronises its stream after each alloc and each free, so
 * the raw device loop does the same.
 *
 *   aim_gpu_bench [--backend host|cuda|hip|all] [--rounds R] [--device-rounds R] [--scale F]
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define MAX_ROUNDS 31

static int g_rounds = 7;
/* Device loops are short and many, so drift on a shared GPU host cancels out. */
static int g_device_rounds = 21;
static double g_scale = 1.0;

double bench_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Keeps the compiler from pairing up and deleting malloc/free. */
static inline void escape(void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

static char g_notes[4096];

void bench_note(const char *fmt, ...)
{
    size_t used = strlen(g_notes);
    if (used + 2 >= sizeof g_notes) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g_notes + used, sizeof g_notes - used - 1, fmt, ap);
    va_end(ap);
    strcat(g_notes, "\n");
}

/* What one uncontended pthread mutex lock+unlock costs here: the floor of the
 * pool's overhead (two critical sections per host pair, four per device pair). */
static void note_mutex_cost(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    double best = 1e30;
    for (int r = 0; r < 5; r++) {
        long n = bench_scaled(2000000);
        double t0 = bench_now_ns();
        for (long i = 0; i < n; i++) {
            pthread_mutex_lock(&m);
            __asm__ volatile("" : : : "memory");
            pthread_mutex_unlock(&m);
        }
        double ns = (bench_now_ns() - t0) / (double)n;
        best = ns < best ? ns : best;
    }
    bench_note("- uncontended pthread_mutex lock+unlock: %.1f ns", best);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void bench_row(const char *backend, const char *raw_name, size_t size, long iters,
                loop_fn raw, void *raw_ctx, loop_fn pool, void *pool_ctx)
{
    int rounds = strcmp(backend, "host") == 0 ? g_rounds : g_device_rounds;
    double r[MAX_ROUNDS], p[MAX_ROUNDS];
    /* Warm-up: first-touch, allocator state, runtime caches. */
    raw(raw_ctx, size, iters / 10 + 1);
    pool(pool_ctx, size, iters / 10 + 1);
    for (int i = 0; i < rounds; i++) {
        if (i % 2 == 0) {
            r[i] = raw(raw_ctx, size, iters);
            p[i] = pool(pool_ctx, size, iters);
        } else {
            p[i] = pool(pool_ctx, size, iters);
            r[i] = raw(raw_ctx, size, iters);
        }
    }
    double rm = median(r, rounds), pm = median(p, rounds);
    char sz[32];
    if (size >= (1u << 20)) {
        snprintf(sz, sizeof sz, "%zu MiB", size >> 20);
    } else if (size >= 1024) {
        snprintf(sz, sizeof sz, "%zu KiB", size >> 10);
    } else {
        snprintf(sz, sizeof sz, "%zu B", size);
    }
    printf("| %s | %s | %s | %ld x %d | %.1f | %.1f | %+.1f%% |\n", backend, sz, raw_name, iters,
           rounds, rm, pm, 100.0 * (pm - rm) / rm);
    fflush(stdout);
}

/* ---------------------------------------------------------------- host -- */

static double host_raw(void *ctx, size_t size, long iters)
{
    (void)ctx;
    double t0 = bench_now_ns();
    for (long i = 0; i < iters; i++) {
        void *p = malloc(size);
        escape(p);
        free(p);
    }
    return (bench_now_ns() - t0) / (double)iters;
}

double bench_pool_loop(void *ctx, size_t size, long iters)
{
    aim_gpu_pool *pool = ctx;
    int errors = 0;
    double t0 = bench_now_ns();
    for (long i = 0; i < iters; i++) {
        void *p = NULL;
        errors += aim_gpu_pool_alloc(pool, size, &p) != AIM_GPU_OK;
        errors += aim_gpu_pool_free(pool, p) != AIM_GPU_OK;
    }
    double ns = (bench_now_ns() - t0) / (double)iters;
    if (errors) {
        fprintf(stderr, "pool loop: %d errors (%s)\n", errors, aim_gpu_last_error_detail());
        exit(1);
    }
    return ns;
}

long bench_scaled(long iters)
{
    long n = (long)((double)iters * g_scale);
    return n < 10 ? 10 : n;
}

static int bench_host(void)
{
    aim_gpu_pool *pool = NULL;
    if (aim_gpu_pool_create(AIM_GPU_BACKEND_HOST, 0, (uint64_t)1 << 34, 0, &pool) != AIM_GPU_OK) {
        fprintf(stderr, "host pool: %s\n", aim_gpu_last_error_detail());
        return 1;
    }
    static const size_t sizes[] = {256, 64u << 10, 4u << 20};
    static const long iters[] = {2000000, 1000000, 500000};
    for (int i = 0; i < 3; i++) {
        bench_row("host", "malloc/free", sizes[i], bench_scaled(iters[i]), host_raw, NULL,
                  bench_pool_loop, pool);
    }
    aim_gpu_pool_destroy(pool, NULL);
    return 0;
}

/* gpu-check.sh sets AIM_GPU_REQUIRE_CUDA=1: a skipped backend is then an error. */
static int required(const char *var)
{
    const char *v = getenv(var);
    return v != NULL && v[0] == '1';
}

static void print_machine(void)
{
    char model[256] = "unknown CPU";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f != NULL) {
        char line[512];
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "model name", 10) == 0) {
                char *colon = strchr(line, ':');
                if (colon != NULL) {
                    snprintf(model, sizeof model, "%s", colon + 2);
                    model[strcspn(model, "\n")] = '\0';
                }
                break;
            }
        }
        fclose(f);
    }
    printf("libaimgpu %s; CPU: %s\n\n", aim_gpu_version(), model);
}

int main(int argc, char **argv)
{
    const char *which = "all";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--backend") == 0 && i + 1 < argc) {
            which = argv[++i];
        } else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
            g_rounds = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--device-rounds") == 0 && i + 1 < argc) {
            g_device_rounds = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
            g_scale = atof(argv[++i]);
        } else {
            fprintf(stderr, "usage: %s [--backend host|cuda|hip|all] [--rounds R] [--device-rounds R] [--scale F]\n",
                    argv[0]);
            return 2;
        }
    }
    if (g_rounds < 1 || g_rounds > MAX_ROUNDS) {
        g_rounds = 7;
    }
    if (g_device_rounds < 1 || g_device_rounds > MAX_ROUNDS) {
        g_device_rounds = 21;
    }
    if (g_scale <= 0) {
        g_scale = 1.0;
    }
    print_machine();
    printf("| backend | size | raw baseline | pairs x rounds | raw ns/pair | pool ns/pair | "
           "overhead |\n");
    printf("|---|---|---|---|---|---|---|\n");
    int rc = 0;
    int all = strcmp(which, "all") == 0;
    note_mutex_cost();
    if (all || strcmp(which, "host") == 0) {
        rc |= bench_host();
    }
    aim_gpu_backend_info info;
    if (all || strcmp(which, "cuda") == 0) {
        if (aim_gpu_backend_query(AIM_GPU_BACKEND_CUDA, &info) == AIM_GPU_OK) {
#ifdef AIM_GPU_WITH_CUDA
            rc |= bench_cuda();
#endif
        } else {
            printf("| cuda | - | skipped: %s | | | | |\n", info.detail);
            rc |= !all || required("AIM_GPU_REQUIRE_CUDA");
        }
    }
    if (all || strcmp(which, "hip") == 0) {
        if (aim_gpu_backend_query(AIM_GPU_BACKEND_HIP, &info) == AIM_GPU_OK) {
#ifdef AIM_GPU_WITH_HIP
            rc |= bench_hip();
#endif
        } else {
            printf("| hip | - | skipped: %s | | | | |\n", info.detail);
            rc |= !all || required("AIM_GPU_REQUIRE_HIP");
        }
    }
    printf("\nOverhead = (pool - raw) / raw; median of %d rounds (host) / %d rounds (device), raw and\n"
           "pool loops alternating; single thread. Notes:\n",
           g_rounds, g_device_rounds);
    printf("%s", g_notes);
    return rc;
}
