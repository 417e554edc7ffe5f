/*
 * aim_gpu_jni.c - JNI glue between dev.aimnext.rocm.internal.AimGpuJni and
 * libaimgpu.
 *
 * Rules this file keeps, so that no Java misuse can crash the JVM:
 *   - It never throws and never builds Java objects beyond arrays and strings:
 *     every method returns an aim_gpu_status and writes into arrays the caller
 *     passed, whose lengths are checked first. Java maps codes to exceptions.
 *   - Pools are handed to Java as handles from a table here (slot index in the
 *     low 32 bits, slot generation in the high bits), never as raw pointers.
 *     A stale handle (pool destroyed, slot reused) or a forged one is refused
 *     with AIM_GPU_ERR_INVALID_ARGUMENT and never dereferenced.
 *   - aim_gpu.h forbids using a pool during or after aim_gpu_pool_destroy.
 *     alloc/free/stats hold the table's read lock for the whole call, destroy
 *     takes the write lock to unhook the slot, so a destroy waits for calls in
 *     flight and later calls find the slot gone. The Java side keeps the same
 *     rule with its own lock; this is the second line of defence.
 *   - Allocation addresses need no table: aim_gpu_pool_free already refuses a
 *     pointer that is not live in that pool (AIM_GPU_ERR_UNKNOWN_POINTER).
 *   - Strings from sysfs are cut to printable ASCII before NewStringUTF, which
 *     requires modified UTF-8 and must not see arbitrary bytes.
 */
#include "aim_gpu.h"

#include <jni.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dev_aimnext_rocm_internal_AimGpuJni.h"

/* Must match AimGpuJni.DEVICE_LONGS / DEVICE_STRINGS / STATS_LONGS / BACKEND_LONGS. */
enum { DEVICE_LONGS = 11, DEVICE_STRINGS = 2, STATS_LONGS = 11, BACKEND_LONGS = 6 };

/* Enough for every pool a process could sensibly hold; a bound keeps handles 32-bit. */
#define MAX_POOL_SLOTS (1u << 20)

/* ------------------------------------------------------ error detail -- */

static _Thread_local const char *t_glue_detail;

static jint glue_error(aim_gpu_status status, const char *detail)
{
    t_glue_detail = detail;
    return (jint)status;
}

/* ------------------------------------------------------- pool table -- */

typedef struct pool_slot {
    aim_gpu_pool *pool;  /* NULL when free */
    uint32_t generation; /* bumped when freed, so old handles stop matching */
} pool_slot;

static pthread_rwlock_t g_pool_lock = PTHREAD_RWLOCK_INITIALIZER;
static pool_slot *g_slots;
static uint32_t g_slot_count;
static uint32_t g_slot_capacity;

static jlong make_handle(uint32_t index, uint32_t generation)
{
    return (jlong)(((uint64_t)generation << 32) | (uint64_t)(index + 1u));
}

/* Caller holds g_pool_lock (read or write). */
static pool_slot *find_slot(jlong handle)
{
    uint64_t h = (uint64_t)handle;
    uint32_t index = (uint32_t)(h & 0xffffffffu);
    uint32_t generation = (uint32_t)(h >> 32);
    if (index == 0 || index > g_slot_count) {
        return NULL;
    }
    pool_slot *slot = &g_slots[index - 1u];
    if (slot->pool == NULL || slot->generation != generation) {
        return NULL;
    }
    return slot;
}

static aim_gpu_status register_pool(aim_gpu_pool *pool, jlong *handle)
{
    aim_gpu_status st = AIM_GPU_OK;
    pthread_rwlock_wrlock(&g_pool_lock);
    uint32_t index = 0;
    while (index < g_slot_count && g_slots[index].pool != NULL) {
        index++;
    }
    if (index == g_slot_count) {
        if (g_slot_count == g_slot_capacity) {
            uint32_t capacity = g_slot_capacity == 0 ? 16u : g_slot_capacity * 2u;
            pool_slot *grown = NULL;
            if (capacity <= MAX_POOL_SLOTS) {
                grown = realloc(g_slots, (size_t)capacity * sizeof *grown);
            }
            if (grown == NULL) {
                st = AIM_GPU_ERR_OUT_OF_MEMORY;
                goto out;
            }
            g_slots = grown;
            g_slot_capacity = capacity;
        }
        g_slots[index].generation = 1u;
        g_slot_count++;
    }
    g_slots[index].pool = pool;
    *handle = make_handle(index, g_slots[index].generation);
out:
    pthread_rwlock_unlock(&g_pool_lock);
    return st;
}

/* Removes the slot and returns its pool, or NULL for an unknown handle. */
static aim_gpu_pool *unregister_pool(jlong handle)
{
    pthread_rwlock_wrlock(&g_pool_lock);
    aim_gpu_pool *pool = NULL;
    pool_slot *slot = find_slot(handle);
    if (slot != NULL) {
        pool = slot->pool;
        slot->pool = NULL;
        /* Stay in 1..INT32_MAX so handles remain positive Java longs. */
        slot->generation = slot->generation >= 0x7fffffffu ? 1u : slot->generation + 1u;
    }
    pthread_rwlock_unlock(&g_pool_lock);
    return pool;
}

/* ---------------------------------------------------------- helpers -- */

static int array_fits(JNIEnv *env, jarray array, jsize needed)
{
    return array != NULL && (*env)->GetArrayLength(env, array) >= needed;
}

static jint set_long(JNIEnv *env, jlongArray array, jlong value)
{
    (*env)->SetLongArrayRegion(env, array, 0, 1, &value);
    return (*env)->ExceptionCheck(env) ? (jint)AIM_GPU_ERR_INTERNAL : (jint)AIM_GPU_OK;
}

/* NewStringUTF wants modified UTF-8: keep printable ASCII, replace the rest. */
static jstring ascii_string(JNIEnv *env, const char *text)
{
    char buf[256];
    size_t n = 0;
    if (text != NULL) {
        for (; text[n] != '\0' && n < sizeof buf - 1; n++) {
            unsigned char c = (unsigned char)text[n];
            buf[n] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
        }
    }
    buf[n] = '\0';
    return (*env)->NewStringUTF(env, buf);
}

/* ---------------------------------------------------------- status -- */

JNIEXPORT jstring JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_version(JNIEnv *env, jclass cls)
{
    (void)cls;
    return ascii_string(env, aim_gpu_version());
}

JNIEXPORT jstring JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_strerror(JNIEnv *env, jclass cls,
                                                                            jint status)
{
    (void)cls;
    return ascii_string(env, aim_gpu_strerror(status));
}

JNIEXPORT jstring JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_statusName(JNIEnv *env, jclass cls,
                                                                              jint status)
{
    (void)cls;
    return ascii_string(env, aim_gpu_status_name(status));
}

JNIEXPORT jstring JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_lastErrorDetail(JNIEnv *env,
                                                                                   jclass cls)
{
    (void)cls;
    const char *detail = t_glue_detail != NULL ? t_glue_detail : aim_gpu_last_error_detail();
    return ascii_string(env, detail);
}

/* --------------------------------------------------------- backends -- */

JNIEXPORT jint JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_backendQuery(JNIEnv *env, jclass cls,
                                                                             jint backend,
                                                                             jlongArray numbers,
                                                                             jobjectArray detail)
{
    (void)cls;
    t_glue_detail = NULL;
    if (!array_fits(env, numbers, BACKEND_LONGS) || !array_fits(env, detail, 1)) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "result arrays too short");
    }
    aim_gpu_backend_info info;
    aim_gpu_status st = aim_gpu_backend_query((aim_gpu_backend)backend, &info);
    jlong values[BACKEND_LONGS] = {info.compiled,        info.usable,
                                   info.device_count,    info.runtime_version,
                                   info.driver_version,  info.pool_cap_enforced_by_runtime};
    (*env)->SetLongArrayRegion(env, numbers, 0, BACKEND_LONGS, values);
    jstring text = ascii_string(env, info.detail);
    if (text == NULL) {
        return AIM_GPU_ERR_INTERNAL; /* OutOfMemoryError pending */
    }
    (*env)->SetObjectArrayElement(env, detail, 0, text);
    return (*env)->ExceptionCheck(env) ? (jint)AIM_GPU_ERR_INTERNAL : (jint)st;
}

/* ------------------------------------------------------------ pools -- */

JNIEXPORT jint JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_poolCreate(
    JNIEnv *env, jclass cls, jint backend, jint device, jlong quota_bytes,
    jlong release_threshold_bytes, jlongArray handle_out)
{
    (void)cls;
    t_glue_detail = NULL;
    if (!array_fits(env, handle_out, 1)) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "result array too short");
    }
    if (quota_bytes <= 0 || release_threshold_bytes < 0) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT,
                          "quota must be positive and the release threshold not negative");
    }
    aim_gpu_pool *pool = NULL;
    aim_gpu_status st = aim_gpu_pool_create((aim_gpu_backend)backend, device, (uint64_t)quota_bytes,
                                            (uint64_t)release_threshold_bytes, &pool);
    if (st != AIM_GPU_OK) {
        return (jint)st;
    }
    jlong handle = 0;
    st = register_pool(pool, &handle);
    if (st != AIM_GPU_OK) {
        aim_gpu_pool_destroy(pool, NULL);
        return glue_error(st, "the JNI pool table is full");
    }
    jint rc = set_long(env, handle_out, handle);
    if (rc != AIM_GPU_OK) {
        aim_gpu_pool_destroy(unregister_pool(handle), NULL);
    }
    return rc;
}

JNIEXPORT jint JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_poolAlloc(JNIEnv *env, jclass cls,
                                                                          jlong handle, jlong size,
                                                                          jlongArray address_out)
{
    (void)cls;
    t_glue_detail = NULL;
    if (!array_fits(env, address_out, 1)) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "result array too short");
    }
    if (size <= 0) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "size must be positive");
    }
    void *ptr = NULL;
    aim_gpu_status st;
    pthread_rwlock_rdlock(&g_pool_lock);
    pool_slot *slot = find_slot(handle);
    if (slot == NULL) {
        st = glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "unknown or closed pool handle");
    } else {
        st = aim_gpu_pool_alloc(slot->pool, (size_t)size, &ptr);
    }
    pthread_rwlock_unlock(&g_pool_lock);
    if (st != AIM_GPU_OK) {
        return (jint)st;
    }
    return set_long(env, address_out, (jlong)(uintptr_t)ptr);
}

JNIEXPORT jint JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_poolFree(JNIEnv *env, jclass cls,
                                                                         jlong handle, jlong address)
{
    (void)env;
    (void)cls;
    t_glue_detail = NULL;
    if (address == 0) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "address is 0");
    }
    aim_gpu_status st;
    pthread_rwlock_rdlock(&g_pool_lock);
    pool_slot *slot = find_slot(handle);
    if (slot == NULL) {
        st = glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "unknown or closed pool handle");
    } else {
        st = aim_gpu_pool_free(slot->pool, (void *)(uintptr_t)address);
    }
    pthread_rwlock_unlock(&g_pool_lock);
    return (jint)st;
}

JNIEXPORT jint JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_poolStats(JNIEnv *env, jclass cls,
                                                                          jlong handle,
                                                                          jlongArray stats_out)
{
    (void)cls;
    t_glue_detail = NULL;
    if (!array_fits(env, stats_out, STATS_LONGS)) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "result array too short");
    }
    aim_gpu_pool_stats s;
    aim_gpu_status st;
    pthread_rwlock_rdlock(&g_pool_lock);
    pool_slot *slot = find_slot(handle);
    if (slot == NULL) {
        st = glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "unknown or closed pool handle");
    } else {
        st = aim_gpu_pool_stats_get(slot->pool, &s);
    }
    pthread_rwlock_unlock(&g_pool_lock);
    if (st != AIM_GPU_OK) {
        return (jint)st;
    }
    jlong values[STATS_LONGS] = {
        (jlong)s.backend,          (jlong)s.device,           (jlong)s.quota_bytes,
        (jlong)s.used_bytes,       (jlong)s.reserved_bytes,   (jlong)s.high_water_bytes,
        (jlong)s.alloc_count,      (jlong)s.free_count,       (jlong)s.failed_alloc_count,
        (jlong)s.quota_rejected_count, (jlong)s.live_allocations,
    };
    (*env)->SetLongArrayRegion(env, stats_out, 0, STATS_LONGS, values);
    return (*env)->ExceptionCheck(env) ? (jint)AIM_GPU_ERR_INTERNAL : (jint)AIM_GPU_OK;
}

JNIEXPORT jint JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_poolDestroy(JNIEnv *env, jclass cls,
                                                                            jlong handle,
                                                                            jlongArray outstanding_out)
{
    (void)cls;
    t_glue_detail = NULL;
    if (!array_fits(env, outstanding_out, 1)) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "result array too short");
    }
    /* Unhooked under the write lock: no call is in flight and none can start. */
    aim_gpu_pool *pool = unregister_pool(handle);
    if (pool == NULL) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "unknown or already closed pool handle");
    }
    uint64_t outstanding = 0;
    aim_gpu_status st = aim_gpu_pool_destroy(pool, &outstanding);
    if (st != AIM_GPU_OK) {
        return (jint)st;
    }
    return set_long(env, outstanding_out, (jlong)outstanding);
}

/* ---------------------------------------------------------- devices -- */

static jint device_list_result(JNIEnv *env, aim_gpu_device_list *list, jobjectArray result)
{
    size_t count = aim_gpu_device_list_count(list);
    if (count > (size_t)(INT32_MAX / DEVICE_LONGS)) {
        aim_gpu_device_list_free(list);
        return glue_error(AIM_GPU_ERR_INTERNAL, "implausible device count");
    }
    jsize n = (jsize)count;
    jlongArray numbers = (*env)->NewLongArray(env, n * DEVICE_LONGS);
    jclass string_class = (*env)->FindClass(env, "java/lang/String");
    jobjectArray strings =
        string_class == NULL ? NULL : (*env)->NewObjectArray(env, n * DEVICE_STRINGS, string_class, NULL);
    if (numbers == NULL || strings == NULL) {
        aim_gpu_device_list_free(list);
        return AIM_GPU_ERR_INTERNAL; /* OutOfMemoryError pending */
    }
    for (jsize i = 0; i < n; i++) {
        aim_gpu_device_info d;
        aim_gpu_status st = aim_gpu_device_list_get(list, (size_t)i, &d);
        if (st != AIM_GPU_OK) {
            aim_gpu_device_list_free(list);
            return (jint)st;
        }
        jlong values[DEVICE_LONGS] = {
            d.index,          d.card,
            (jlong)d.kind,    d.parent_index,
            d.partition_id,   (jlong)d.total_memory_bytes,
            (jlong)d.compute_current, (jlong)d.compute_available,
            (jlong)d.memory_current,  (jlong)d.memory_available,
            (jlong)d.partition_status,
        };
        (*env)->SetLongArrayRegion(env, numbers, i * DEVICE_LONGS, DEVICE_LONGS, values);
        jstring name = ascii_string(env, d.name);
        jstring bus = ascii_string(env, d.bus_id);
        if (name == NULL || bus == NULL) {
            aim_gpu_device_list_free(list);
            return AIM_GPU_ERR_INTERNAL;
        }
        (*env)->SetObjectArrayElement(env, strings, i * DEVICE_STRINGS, name);
        (*env)->SetObjectArrayElement(env, strings, i * DEVICE_STRINGS + 1, bus);
        (*env)->DeleteLocalRef(env, name);
        (*env)->DeleteLocalRef(env, bus);
    }
    aim_gpu_device_list_free(list);
    (*env)->SetObjectArrayElement(env, result, 0, numbers);
    (*env)->SetObjectArrayElement(env, result, 1, strings);
    return (*env)->ExceptionCheck(env) ? (jint)AIM_GPU_ERR_INTERNAL : (jint)AIM_GPU_OK;
}

JNIEXPORT jint JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_sysfsScan(JNIEnv *env, jclass cls,
                                                                          jstring root,
                                                                          jobjectArray result)
{
    (void)cls;
    t_glue_detail = NULL;
    if (!array_fits(env, result, 2)) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "result array too short");
    }
    const char *root_chars = NULL;
    if (root != NULL) {
        root_chars = (*env)->GetStringUTFChars(env, root, NULL);
        if (root_chars == NULL) {
            return AIM_GPU_ERR_INTERNAL; /* OutOfMemoryError pending */
        }
    }
    aim_gpu_device_list *list = NULL;
    aim_gpu_status st = aim_gpu_sysfs_scan(root_chars, &list);
    if (root_chars != NULL) {
        (*env)->ReleaseStringUTFChars(env, root, root_chars);
    }
    if (st != AIM_GPU_OK) {
        return (jint)st;
    }
    return device_list_result(env, list, result);
}

JNIEXPORT jint JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_deviceScan(JNIEnv *env, jclass cls,
                                                                           jint backend,
                                                                           jobjectArray result)
{
    (void)cls;
    t_glue_detail = NULL;
    if (!array_fits(env, result, 2)) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "result array too short");
    }
    aim_gpu_device_list *list = NULL;
    aim_gpu_status st = aim_gpu_device_scan((aim_gpu_backend)backend, &list);
    if (st != AIM_GPU_OK) {
        return (jint)st;
    }
    return device_list_result(env, list, result);
}

/* ------------------------------------------------------------- VRAM -- */

JNIEXPORT jint JNICALL Java_dev_aimnext_rocm_internal_AimGpuJni_processVram(JNIEnv *env, jclass cls,
                                                                            jint source, jint device,
                                                                            jobjectArray result)
{
    (void)cls;
    t_glue_detail = NULL;
    if (!array_fits(env, result, 1)) {
        return glue_error(AIM_GPU_ERR_INVALID_ARGUMENT, "result array too short");
    }
    if (device < 0) {
        return glue_error(AIM_GPU_ERR_NO_DEVICE, "negative device index");
    }
    size_t capacity = 64;
    aim_gpu_process_vram *items = NULL;
    size_t count = 0;
    aim_gpu_vram_source used = AIM_GPU_VRAM_AUTO;
    aim_gpu_status st;
    /* The list can grow between calls; retry a few times with the count reported. */
    for (int attempt = 0;; attempt++) {
        aim_gpu_process_vram *grown = realloc(items, capacity * sizeof *items);
        if (grown == NULL) {
            free(items);
            return glue_error(AIM_GPU_ERR_OUT_OF_MEMORY, "no memory for the process list");
        }
        items = grown;
        st = aim_gpu_process_vram_list((aim_gpu_vram_source)source, (unsigned)device, items, capacity,
                                       &count, &used);
        if (st != AIM_GPU_ERR_BUFFER_TOO_SMALL || attempt == 3 || count > 65536) {
            break;
        }
        capacity = count + 16;
    }
    if (st != AIM_GPU_OK) {
        free(items);
        return (jint)st;
    }
    jlongArray longs = (*env)->NewLongArray(env, (jsize)(2 + 2 * count));
    if (longs == NULL) {
        free(items);
        return AIM_GPU_ERR_INTERNAL; /* OutOfMemoryError pending */
    }
    jlong head[2] = {(jlong)used, (jlong)count};
    (*env)->SetLongArrayRegion(env, longs, 0, 2, head);
    for (size_t i = 0; i < count; i++) {
        jlong pair[2] = {(jlong)items[i].pid,
                         items[i].used_bytes == AIM_GPU_VRAM_UNKNOWN ? -1 : (jlong)items[i].used_bytes};
        (*env)->SetLongArrayRegion(env, longs, (jsize)(2 + 2 * i), 2, pair);
    }
    free(items);
    (*env)->SetObjectArrayElement(env, result, 0, longs);
    return (*env)->ExceptionCheck(env) ? (jint)AIM_GPU_ERR_INTERNAL : (jint)AIM_GPU_OK;
}
