/*
 * Stress: N threads allocate and free random sizes at random through one
 * pool. The quota invariant is checked inside the pool's critical section
 * (an observer hook sees every change of `used`) and from outside through
 * stats snapshots; at the end `used` must be back to 0 and the counters must
 * balance. On the host backend each block is filled with a per-thread
 * pattern that is verified before the free, so overlapping blocks would show.
 *
 *   test_stress [host|cuda|hip] [threads] [ops_per_thread]
 *
 * A device backend that is compiled but has no device skips (exit 0) unless
 * AIM_GPU_REQUIRE_<BACKEND>=1 is set, as gpu-check.sh does.
 */
#include "harness.h"
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>

typedef struct stress_config {
    aim_gpu_backend backend;
    int threads;
    int ops;
    uint64_t quota;
    size_t max_size;
    int live_per_thread;
} stress_config;

typedef struct stress_shared {
    aim_gpu_pool *pool;
    const stress_config *cfg;
    atomic_ullong observer_calls;
    atomic_ullong observer_violations;
    atomic_ullong observed_max;
    atomic_ullong snapshot_violations;
    atomic_ullong unexpected_status;
    atomic_ullong corrupt_blocks;
    atomic_ullong quota_rejections;
    atomic_ullong successes;
} stress_shared;

typedef struct worker {
    pthread_t thread;
    int id;
    stress_shared *shared;
} worker;

/* Runs inside the pool lock, at the instant `used` changes. */
static void observe(void *arg, uint64_t used, uint64_t quota)
{
    stress_shared *s = arg;
    atomic_fetch_add_explicit(&s->observer_calls, 1, memory_order_relaxed);
    if (used > quota) {
        atomic_fetch_add_explicit(&s->observer_violations, 1, memory_order_relaxed);
    }
    unsigned long long prev = atomic_load_explicit(&s->observed_max, memory_order_relaxed);
    while (used > prev &&
           !atomic_compare_exchange_weak_explicit(&s->observed_max, &prev, used,
                                                  memory_order_relaxed, memory_order_relaxed)) {
    }
}

static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    stress_shared *s = w->shared;
    const stress_config *cfg = s->cfg;
    int host = cfg->backend == AIM_GPU_BACKEND_HOST;
    void **ptrs = calloc((size_t)cfg->live_per_thread, sizeof *ptrs);
    size_t *sizes = calloc((size_t)cfg->live_per_thread, sizeof *sizes);
    if (ptrs == NULL || sizes == NULL) {
        atomic_fetch_add(&s->unexpected_status, 1);
        free(ptrs);
        free(sizes);
        return NULL;
    }
    uint64_t rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)(w->id + 1) * 0x100000001b3ull);
    unsigned char pattern = (unsigned char)(0x11 * (w->id + 1));
    for (int op = 0; op < cfg->ops; op++) {
        int slot = (int)(next_random(&rng) % (uint64_t)cfg->live_per_thread);
        if (ptrs[slot] == NULL) {
            size_t size = 1 + (size_t)(next_random(&rng) % cfg->max_size);
            void *p = NULL;
            aim_gpu_status st = aim_gpu_pool_alloc(s->pool, size, &p);
            if (st == AIM_GPU_OK) {
                atomic_fetch_add_explicit(&s->successes, 1, memory_order_relaxed);
                if (host) {
                    memset(p, pattern, size);
                }
                ptrs[slot] = p;
                sizes[slot] = size;
            } else if (st == AIM_GPU_ERR_QUOTA_EXCEEDED) {
                atomic_fetch_add_explicit(&s->quota_rejections, 1, memory_order_relaxed);
            } else {
                atomic_fetch_add(&s->unexpected_status, 1);
                fprintf(stderr, "alloc(%zu): %s: %s\n", size, aim_gpu_status_name(st),
                        aim_gpu_last_error_detail());
            }
        } else {
            if (host) {
                const unsigned char *b = ptrs[slot];
                for (size_t k = 0; k < sizes[slot]; k += 61) {
                    if (b[k] != pattern) {
                        atomic_fetch_add(&s->corrupt_blocks, 1);
                        break;
                    }
                }
            }
            aim_gpu_status st = aim_gpu_pool_free(s->pool, ptrs[slot]);
            if (st != AIM_GPU_OK) {
                atomic_fetch_add(&s->unexpected_status, 1);
                fprintf(stderr, "free: %s: %s\n", aim_gpu_status_name(st),
                        aim_gpu_last_error_detail());
            }
            ptrs[slot] = NULL;
        }
        if (op % 64 == 0) {
            aim_gpu_pool_stats snap;
            if (aim_gpu_pool_stats_get(s->pool, &snap) != AIM_GPU_OK ||
                snap.used_bytes > snap.quota_bytes || snap.high_water_bytes > snap.quota_bytes) {
                atomic_fetch_add(&s->snapshot_violations, 1);
            }
        }
    }
    for (int i = 0; i < cfg->live_per_thread; i++) {
        if (ptrs[i] != NULL && aim_gpu_pool_free(s->pool, ptrs[i]) != AIM_GPU_OK) {
            atomic_fetch_add(&s->unexpected_status, 1);
        }
    }
    free(ptrs);
    free(sizes);
    return NULL;
}

static void run_stress(const stress_config *cfg)
{
    stress_shared s;
    memset(&s, 0, sizeof s);
    s.cfg = cfg;
    CHECK_STATUS(aim_gpu_pool_create(cfg->backend, 0, cfg->quota, 0, &s.pool), AIM_GPU_OK);
    if (s.pool == NULL) {
        return;
    }
    aim_pool_test_set_observer(s.pool, observe, &s);
    worker *workers = calloc((size_t)cfg->threads, sizeof *workers);
    for (int i = 0; i < cfg->threads; i++) {
        workers[i].id = i;
        workers[i].shared = &s;
        CHECK(pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) == 0);
    }
    for (int i = 0; i < cfg->threads; i++) {
        pthread_join(workers[i].thread, NULL);
    }
    free(workers);

    aim_gpu_pool_stats st;
    CHECK_STATUS(aim_gpu_pool_stats_get(s.pool, &st), AIM_GPU_OK);
    printf("     %s: %d threads x %d ops, quota %llu: %llu allocs, %llu quota refusals, "
           "high water %llu (%.0f%% of quota), %llu observer checks\n",
           aim_gpu_backend_name(cfg->backend), cfg->threads, cfg->ops,
           (unsigned long long)cfg->quota, (unsigned long long)st.alloc_count,
           (unsigned long long)st.quota_rejected_count, (unsigned long long)st.high_water_bytes,
           100.0 * (double)st.high_water_bytes / (double)cfg->quota,
           (unsigned long long)atomic_load(&s.observer_calls));
    CHECK_EQ_U64(atomic_load(&s.observer_violations), 0);
    CHECK_EQ_U64(atomic_load(&s.snapshot_violations), 0);
    CHECK_EQ_U64(atomic_load(&s.unexpected_status), 0);
    CHECK_EQ_U64(atomic_load(&s.corrupt_blocks), 0);
    CHECK(atomic_load(&s.observer_calls) > 0);
    CHECK(atomic_load(&s.observed_max) <= cfg->quota);
    CHECK_EQ_U64(st.used_bytes, 0);
    CHECK_EQ_U64(st.live_allocations, 0);
    CHECK(st.high_water_bytes <= cfg->quota);
    CHECK_EQ_U64(st.alloc_count, atomic_load(&s.successes));
    CHECK_EQ_U64(st.free_count, st.alloc_count);
    CHECK_EQ_U64(st.quota_rejected_count, atomic_load(&s.quota_rejections));
    CHECK_EQ_U64(st.failed_alloc_count, st.quota_rejected_count);
    /* The quota must actually have been contended, or the test proves nothing. */
    CHECK(st.quota_rejected_count > 0);
    uint64_t outstanding = 1;
    CHECK_STATUS(aim_gpu_pool_destroy(s.pool, &outstanding), AIM_GPU_OK);
    CHECK_EQ_U64(outstanding, 0);
}

static stress_config g_cfg;

static void test_stress_quota_invariant(void)
{
    run_stress(&g_cfg);
}

int main(int argc, char **argv)
{
    const char *backend = argc > 1 ? argv[1] : "host";
    g_cfg.threads = argc > 2 ? atoi(argv[2]) : 8;
    g_cfg.ops = argc > 3 ? atoi(argv[3]) : 0;
    if (strcmp(backend, "host") == 0) {
        g_cfg.backend = AIM_GPU_BACKEND_HOST;
        g_cfg.quota = 4u << 20;      /* 4 MiB */
        g_cfg.max_size = 64u << 10;  /* up to 64 KiB */
        g_cfg.live_per_thread = 32;  /* 8 x 32 x 32 KiB average = 8 MiB wanted > quota */
        if (g_cfg.ops <= 0) g_cfg.ops = 200000;
    } else if (strcmp(backend, "cuda") == 0 || strcmp(backend, "hip") == 0) {
        g_cfg.backend = backend[0] == 'c' ? AIM_GPU_BACKEND_CUDA : AIM_GPU_BACKEND_HIP;
        g_cfg.quota = 256u << 20;    /* 256 MiB */
        g_cfg.max_size = 8u << 20;   /* up to 8 MiB */
        g_cfg.live_per_thread = 16;  /* 8 x 16 x 4 MiB average = 512 MiB wanted > quota */
        if (g_cfg.ops <= 0) g_cfg.ops = 3000;
    } else {
        fprintf(stderr, "usage: %s [host|cuda|hip] [threads] [ops_per_thread]\n", argv[0]);
        return 2;
    }
    if (g_cfg.threads <= 0) {
        g_cfg.threads = 8;
    }
    h_current = "test_stress_quota_invariant";
    aim_gpu_backend_info info;
    if (aim_gpu_backend_query(g_cfg.backend, &info) != AIM_GPU_OK) {
        char var[64];
        snprintf(var, sizeof var, "AIM_GPU_REQUIRE_%s", g_cfg.backend == AIM_GPU_BACKEND_CUDA ? "CUDA" : "HIP");
        const char *require = getenv(var);
        if (require != NULL && require[0] == '1') {
            fprintf(stderr, "FAIL: %s required but unavailable: %s\n", backend, info.detail);
            h_failed++;
            return h_finish();
        }
        h_skip("%s backend not usable here: %s", backend, info.detail);
        return h_finish();
    }
    RUN(test_stress_quota_invariant);
    return h_finish();
}
