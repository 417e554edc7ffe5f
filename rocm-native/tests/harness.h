/*
 * A very small test harness: CHECK records a failure and goes on, so one run
 * reports every broken expectation. Each test binary ends with
 * "N passed, M failed" and exits non-zero on any failure.
 */
#ifndef AIM_TEST_HARNESS_H
#define AIM_TEST_HARNESS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aim_gpu.h"

static int h_passed;
static int h_failed;
static int h_skipped;
static const char *h_current = "?";

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (cond) {                                                                        \
            h_passed++;                                                                    \
        } else {                                                                           \
            h_failed++;                                                                    \
            fprintf(stderr, "FAIL %s (%s:%d): %s\n", h_current, __FILE__, __LINE__, #cond); \
        }                                                                                  \
    } while (0)

/* Checks a status and prints both names on mismatch. */
#define CHECK_STATUS(expr, expected)                                                       \
    do {                                                                                   \
        int h_got_ = (int)(expr);                                                          \
        int h_want_ = (int)(expected);                                                     \
        if (h_got_ == h_want_) {                                                           \
            h_passed++;                                                                    \
        } else {                                                                           \
            h_failed++;                                                                    \
            fprintf(stderr, "FAIL %s (%s:%d): %s -> %s, expected %s [%s]\n", h_current,    \
                    __FILE__, __LINE__, #expr, aim_gpu_status_name(h_got_),                \
                    aim_gpu_status_name(h_want_), aim_gpu_last_error_detail());            \
        }                                                                                  \
    } while (0)

#define CHECK_EQ_U64(a, b)                                                                 \
    do {                                                                                   \
        unsigned long long h_a_ = (unsigned long long)(a);                                 \
        unsigned long long h_b_ = (unsigned long long)(b);                                 \
        if (h_a_ == h_b_) {                                                                \
            h_passed++;                                                                    \
        } else {                                                                           \
            h_failed++;                                                                    \
            fprintf(stderr, "FAIL %s (%s:%d): %s == %llu, expected %s == %llu\n",          \
                    h_current, __FILE__, __LINE__, #a, h_a_, #b, h_b_);                    \
        }                                                                                  \
    } while (0)

#define RUN(test_fn)                                                                       \
    do {                                                                                   \
        h_current = #test_fn;                                                              \
        int h_before_ = h_failed;                                                          \
        test_fn();                                                                         \
        printf("%-4s %s\n", h_failed == h_before_ ? "ok" : "FAIL", #test_fn);              \
        fflush(stdout);                                                                    \
    } while (0)

/* Prints a skip with its reason; the runner collects these lines. */
static inline void h_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("SKIP %s: ", h_current);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    h_skipped++;
}

static inline int h_finish(void)
{
    if (h_skipped > 0) {
        printf("(%d skipped)\n", h_skipped);
    }
    printf("%d passed, %d failed\n", h_passed, h_failed);
    fflush(stdout);
    return h_failed == 0 ? 0 : 1;
}

#endif
