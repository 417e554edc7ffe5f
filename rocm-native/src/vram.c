/*
 * Per-process VRAM through the vendors' management libraries, loaded with
 * dlopen at call time and never linked: a machine without them must still
 * load libaimgpu.so. Each call opens, initialises, queries, shuts down and
 * closes the library, so there is no global state to guard; callers sample
 * at human time scales (seconds).
 *
 * The structs below restate the libraries' public ABI so that no vendor
 * header is needed at build time. Buffers handed to the libraries are
 * over-allocated (AIM_VRAM_ENTRY_SLACK bytes per entry) so that a library
 * whose struct grew cannot write past them.
 */
#include "internal.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AIM_VRAM_ENTRY_SLACK 1024u
#define AIM_VRAM_MAX_PROCS 65536u

/* ---- NVML ---------------------------------------------------------- */

typedef struct nvml_device_st *nvml_device;
/* nvmlProcessInfo_t as taken by nvmlDeviceGetComputeRunningProcesses_v2/_v3. */
typedef struct nvml_proc_v2 {
    unsigned int pid;
    unsigned long long used_gpu_memory;
    unsigned int gpu_instance_id;
    unsigned int compute_instance_id;
} nvml_proc_v2;
/* nvmlProcessInfo_v1_t, taken by the unversioned symbol. */
typedef struct nvml_proc_v1 {
    unsigned int pid;
    unsigned long long used_gpu_memory;
} nvml_proc_v1;

#define NVML_SUCCESS 0
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_VALUE_NOT_AVAILABLE_ULL (~0ULL)

/* ---- rocm-smi -------------------------------------------------------- */

typedef struct rsmi_process_info {
    uint32_t process_id;
    uint32_t pasid;
    uint64_t vram_usage;
    uint64_t sdma_usage;
    uint32_t cu_occupancy;
} rsmi_process_info;

#define RSMI_STATUS_SUCCESS 0

/* ---- amd-smi ---------------------------------------------------------- */

/* Leading fields of amdsmi_proc_info_t as in amdsmi.h of ROCm 6.2+
 * (name[AMDSMI_MAX_STRING_LENGTH = 64]). Older amd-smi used name[32]; the
 * stride and offsets would then differ, which is why AUTO prefers rocm-smi. */
typedef struct amdsmi_proc_info {
    char name[64];
    uint32_t pid;
    uint64_t mem;
    struct {
        uint64_t gfx;
        uint64_t enc;
        uint32_t reserved[12];
    } engine_usage;
    struct {
        uint64_t gtt_mem;
        uint64_t cpu_mem;
        uint64_t vram_mem;
        uint32_t reserved[10];
    } memory_usage;
    char container_name[64];
    uint32_t cu_occupancy;
    uint32_t evicted_time;
    uint32_t reserved[10];
} amdsmi_proc_info;

#define AMDSMI_STATUS_SUCCESS 0
#define AMDSMI_INIT_AMD_GPUS (1u << 1)

/* ---- common -------------------------------------------------------------- */

typedef struct vram_result {
    aim_gpu_process_vram *items;
    size_t count;
} vram_result;

const char *aim_gpu_vram_source_name(aim_gpu_vram_source source)
{
    switch (source) {
    case AIM_GPU_VRAM_AUTO:
        return "auto";
    case AIM_GPU_VRAM_NVML:
        return "nvml";
    case AIM_GPU_VRAM_AMDSMI:
        return "amdsmi";
    case AIM_GPU_VRAM_ROCM_SMI:
        return "rocm_smi";
    default:
        return "unknown";
    }
}

/*
 * Opens the first loadable library: only $env_var if set (tests point it at
 * fakes; operators at unusual install paths), else the candidates.
 */
static void *open_library(const char *env_var, const char *const *candidates)
{
    const char *override = getenv(env_var);
    if (override != NULL && override[0] != '\0') {
        void *h = dlopen(override, RTLD_NOW | RTLD_LOCAL);
        if (h == NULL) {
            const char *e = dlerror();
            aim_set_error(AIM_GPU_ERR_UNAVAILABLE, "dlopen(%s=%s): %s", env_var, override,
                          e ? e : "unknown");
        }
        return h;
    }
    const char *first_error = NULL;
    for (const char *const *c = candidates; *c != NULL; c++) {
        void *h = dlopen(*c, RTLD_NOW | RTLD_LOCAL);
        if (h != NULL) {
            return h;
        }
        if (first_error == NULL) {
            first_error = *c;
        }
    }
    aim_set_error(AIM_GPU_ERR_UNAVAILABLE, "none of the libraries could be loaded (first: %s)",
                  first_error ? first_error : "?");
    return NULL;
}

#define LOAD_SYM(handle, var, name)                                                        \
    do {                                                                                   \
        *(void **)(&(var)) = dlsym((handle), (name));                                      \
    } while (0)

static int push(vram_result *r, uint32_t pid, uint64_t used)
{
    if (r->count >= AIM_VRAM_MAX_PROCS) {
        return -1;
    }
    aim_gpu_process_vram *grown = realloc(r->items, (r->count + 1) * sizeof *grown);
    if (grown == NULL) {
        return -1;
    }
    r->items = grown;
    r->items[r->count].pid = pid;
    r->items[r->count].used_bytes = used;
    r->count++;
    return 0;
}

/* ---- NVML ---------------------------------------------------------------- */

static aim_gpu_status query_nvml(unsigned device, vram_result *r)
{
    static const char *const candidates[] = {"libnvidia-ml.so.1", "libnvidia-ml.so", NULL};
    void *h = open_library("AIM_GPU_NVML_LIBRARY", candidates);
    if (h == NULL) {
        return AIM_GPU_ERR_UNAVAILABLE;
    }
    int (*init)(void) = NULL;
    int (*shutdown)(void) = NULL;
    int (*get_count)(unsigned *) = NULL;
    int (*get_handle)(unsigned, nvml_device *) = NULL;
    int (*procs_v3)(nvml_device, unsigned *, void *) = NULL;
    int (*procs_v2)(nvml_device, unsigned *, void *) = NULL;
    int (*procs_v1)(nvml_device, unsigned *, void *) = NULL;
    LOAD_SYM(h, init, "nvmlInit_v2");
    if (init == NULL) {
        LOAD_SYM(h, init, "nvmlInit");
    }
    LOAD_SYM(h, shutdown, "nvmlShutdown");
    LOAD_SYM(h, get_count, "nvmlDeviceGetCount_v2");
    if (get_count == NULL) {
        LOAD_SYM(h, get_count, "nvmlDeviceGetCount");
    }
    LOAD_SYM(h, get_handle, "nvmlDeviceGetHandleByIndex_v2");
    if (get_handle == NULL) {
        LOAD_SYM(h, get_handle, "nvmlDeviceGetHandleByIndex");
    }
    LOAD_SYM(h, procs_v3, "nvmlDeviceGetComputeRunningProcesses_v3");
    LOAD_SYM(h, procs_v2, "nvmlDeviceGetComputeRunningProcesses_v2");
    LOAD_SYM(h, procs_v1, "nvmlDeviceGetComputeRunningProcesses");
    int (*procs)(nvml_device, unsigned *, void *) = procs_v3 ? procs_v3 : procs_v2;
    size_t stride = sizeof(nvml_proc_v2);
    if (procs == NULL) {
        procs = procs_v1;
        stride = sizeof(nvml_proc_v1);
    }
    if (init == NULL || shutdown == NULL || get_count == NULL || get_handle == NULL ||
        procs == NULL) {
        dlclose(h);
        return aim_set_error(AIM_GPU_ERR_UNAVAILABLE, "NVML library lacks required symbols");
    }
    int rc = init();
    if (rc != NVML_SUCCESS) {
        dlclose(h);
        return aim_set_error(AIM_GPU_ERR_UNAVAILABLE, "nvmlInit failed with NVML error %d", rc);
    }
    aim_gpu_status st = AIM_GPU_OK;
    unsigned n_dev = 0;
    nvml_device dev = NULL;
    unsigned char *buf = NULL;
    if ((rc = get_count(&n_dev)) != NVML_SUCCESS) {
        st = aim_set_error(AIM_GPU_ERR_BACKEND, "nvmlDeviceGetCount: NVML error %d", rc);
        goto out;
    }
    if (device >= n_dev) {
        st = aim_set_error(AIM_GPU_ERR_NO_DEVICE, "NVML device %u of %u", device, n_dev);
        goto out;
    }
    if ((rc = get_handle(device, &dev)) != NVML_SUCCESS) {
        st = aim_set_error(AIM_GPU_ERR_BACKEND, "nvmlDeviceGetHandleByIndex: NVML error %d", rc);
        goto out;
    }
    /* Processes come and go between the two calls: retry with headroom. */
    for (int attempt = 0; attempt < 4; attempt++) {
        unsigned n = 0;
        rc = procs(dev, &n, NULL);
        if (rc == NVML_SUCCESS) {
            goto out; /* no processes */
        }
        if (rc != NVML_ERROR_INSUFFICIENT_SIZE) {
            st = aim_set_error(AIM_GPU_ERR_BACKEND,
                               "nvmlDeviceGetComputeRunningProcesses: NVML error %d", rc);
            goto out;
        }
        if (n > AIM_VRAM_MAX_PROCS) {
            n = AIM_VRAM_MAX_PROCS;
        }
        unsigned cap = n + 8;
        free(buf);
        buf = calloc(cap, stride + AIM_VRAM_ENTRY_SLACK);
        if (buf == NULL) {
            st = aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "process buffer allocation failed");
            goto out;
        }
        unsigned got = cap;
        rc = procs(dev, &got, buf);
        if (rc == NVML_ERROR_INSUFFICIENT_SIZE) {
            continue;
        }
        if (rc != NVML_SUCCESS) {
            st = aim_set_error(AIM_GPU_ERR_BACKEND,
                               "nvmlDeviceGetComputeRunningProcesses: NVML error %d", rc);
            goto out;
        }
        for (unsigned i = 0; i < got && i < cap; i++) {
            const unsigned char *e = buf + (size_t)i * stride;
            unsigned int pid;
            unsigned long long used;
            memcpy(&pid, e + offsetof(nvml_proc_v2, pid), sizeof pid);
            memcpy(&used, e + offsetof(nvml_proc_v2, used_gpu_memory), sizeof used);
            if (push(r, pid, used == NVML_VALUE_NOT_AVAILABLE_ULL ? AIM_GPU_VRAM_UNKNOWN
                                                                  : (uint64_t)used) != 0) {
                st = aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "result allocation failed");
            }
        }
        goto out;
    }
    st = aim_set_error(AIM_GPU_ERR_BACKEND, "process list kept growing during the query");
out:
    free(buf);
    shutdown();
    dlclose(h);
    return st;
}

/* ---- rocm-smi ------------------------------------------------------------ */

static aim_gpu_status query_rocm_smi(unsigned device, vram_result *r)
{
    static const char *const candidates[] = {
        "librocm_smi64.so",   "librocm_smi64.so.7", "librocm_smi64.so.6",
        "librocm_smi64.so.5", "librocm_smi64.so.1", "/opt/rocm/lib/librocm_smi64.so",
        NULL,
    };
    void *h = open_library("AIM_GPU_ROCM_SMI_LIBRARY", candidates);
    if (h == NULL) {
        return AIM_GPU_ERR_UNAVAILABLE;
    }
    int (*init)(uint64_t) = NULL;
    int (*shutdown)(void) = NULL;
    int (*num_devices)(uint32_t *) = NULL;
    int (*procs_get)(rsmi_process_info *, uint32_t *) = NULL;
    int (*proc_by_device)(uint32_t, uint32_t, rsmi_process_info *) = NULL;
    LOAD_SYM(h, init, "rsmi_init");
    LOAD_SYM(h, shutdown, "rsmi_shut_down");
    LOAD_SYM(h, num_devices, "rsmi_num_monitor_devices");
    LOAD_SYM(h, procs_get, "rsmi_compute_process_info_get");
    LOAD_SYM(h, proc_by_device, "rsmi_compute_process_info_by_device_get");
    if (!init || !shutdown || !num_devices || !procs_get || !proc_by_device) {
        dlclose(h);
        return aim_set_error(AIM_GPU_ERR_UNAVAILABLE, "rocm-smi library lacks required symbols");
    }
    int rc = init(0);
    if (rc != RSMI_STATUS_SUCCESS) {
        dlclose(h);
        return aim_set_error(AIM_GPU_ERR_UNAVAILABLE, "rsmi_init failed with status %d", rc);
    }
    aim_gpu_status st = AIM_GPU_OK;
    uint32_t n_dev = 0;
    unsigned char *buf = NULL;
    if ((rc = num_devices(&n_dev)) != RSMI_STATUS_SUCCESS) {
        st = aim_set_error(AIM_GPU_ERR_BACKEND, "rsmi_num_monitor_devices: status %d", rc);
        goto out;
    }
    if (device >= n_dev) {
        st = aim_set_error(AIM_GPU_ERR_NO_DEVICE, "rocm-smi device %u of %u", device, n_dev);
        goto out;
    }
    uint32_t n = 0;
    if ((rc = procs_get(NULL, &n)) != RSMI_STATUS_SUCCESS) {
        st = aim_set_error(AIM_GPU_ERR_BACKEND, "rsmi_compute_process_info_get: status %d", rc);
        goto out;
    }
    if (n == 0) {
        goto out;
    }
    if (n > AIM_VRAM_MAX_PROCS) {
        n = AIM_VRAM_MAX_PROCS;
    }
    uint32_t cap = n + 8;
    buf = calloc(cap, sizeof(rsmi_process_info) + AIM_VRAM_ENTRY_SLACK);
    if (buf == NULL) {
        st = aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "process buffer allocation failed");
        goto out;
    }
    uint32_t got = cap;
    rc = procs_get((rsmi_process_info *)(void *)buf, &got);
    if (rc != RSMI_STATUS_SUCCESS) {
        st = aim_set_error(AIM_GPU_ERR_BACKEND, "rsmi_compute_process_info_get: status %d", rc);
        goto out;
    }
    for (uint32_t i = 0; i < got && i < cap; i++) {
        rsmi_process_info all;
        memcpy(&all, buf + (size_t)i * sizeof(rsmi_process_info), sizeof all);
        /* Room for a grown struct, as above. */
        unsigned char one[sizeof(rsmi_process_info) + AIM_VRAM_ENTRY_SLACK];
        memset(one, 0, sizeof one);
        if (proc_by_device(all.process_id, device, (rsmi_process_info *)(void *)one) !=
            RSMI_STATUS_SUCCESS) {
            continue; /* the process holds nothing on this device */
        }
        rsmi_process_info mine;
        memcpy(&mine, one, sizeof mine);
        if (push(r, all.process_id, mine.vram_usage) != 0) {
            st = aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "result allocation failed");
            break;
        }
    }
out:
    free(buf);
    shutdown();
    dlclose(h);
    return st;
}

/* ---- amd-smi --------------------------------------------------------------- */

static aim_gpu_status query_amdsmi(unsigned device, vram_result *r)
{
    static const char *const candidates[] = {
        "libamd_smi.so",    "libamd_smi.so.26", "libamd_smi.so.25",
        "libamd_smi.so.24", "/opt/rocm/lib/libamd_smi.so", NULL,
    };
    void *h = open_library("AIM_GPU_AMDSMI_LIBRARY", candidates);
    if (h == NULL) {
        return AIM_GPU_ERR_UNAVAILABLE;
    }
    int (*init)(uint64_t) = NULL;
    int (*shutdown)(void) = NULL;
    int (*sockets)(uint32_t *, void **) = NULL;
    int (*processors)(void *, uint32_t *, void **) = NULL;
    int (*proc_list)(void *, uint32_t *, void *) = NULL;
    LOAD_SYM(h, init, "amdsmi_init");
    LOAD_SYM(h, shutdown, "amdsmi_shut_down");
    LOAD_SYM(h, sockets, "amdsmi_get_socket_handles");
    LOAD_SYM(h, processors, "amdsmi_get_processor_handles");
    LOAD_SYM(h, proc_list, "amdsmi_get_gpu_process_list");
    if (!init || !shutdown || !sockets || !processors || !proc_list) {
        dlclose(h);
        return aim_set_error(AIM_GPU_ERR_UNAVAILABLE, "amd-smi library lacks required symbols");
    }
    int rc = init(AMDSMI_INIT_AMD_GPUS);
    if (rc != AMDSMI_STATUS_SUCCESS) {
        dlclose(h);
        return aim_set_error(AIM_GPU_ERR_UNAVAILABLE, "amdsmi_init failed with status %d", rc);
    }
    aim_gpu_status st = AIM_GPU_OK;
    void **socket_handles = NULL;
    void **proc_handles = NULL;
    unsigned char *buf = NULL;
    void *target = NULL;
    uint32_t n_sockets = 0;
    if ((rc = sockets(&n_sockets, NULL)) != AMDSMI_STATUS_SUCCESS || n_sockets > 4096) {
        st = aim_set_error(AIM_GPU_ERR_BACKEND, "amdsmi_get_socket_handles: status %d", rc);
        goto out;
    }
    socket_handles = calloc(n_sockets + 1, sizeof *socket_handles);
    if (socket_handles == NULL ||
        (rc = sockets(&n_sockets, socket_handles)) != AMDSMI_STATUS_SUCCESS) {
        st = aim_set_error(AIM_GPU_ERR_BACKEND, "amdsmi_get_socket_handles: status %d", rc);
        goto out;
    }
    /* Device index = position in the flattened socket -> processor order. */
    unsigned seen = 0;
    for (uint32_t s = 0; s < n_sockets && target == NULL; s++) {
        uint32_t n_proc = 0;
        if ((rc = processors(socket_handles[s], &n_proc, NULL)) != AMDSMI_STATUS_SUCCESS ||
            n_proc > 4096) {
            st = aim_set_error(AIM_GPU_ERR_BACKEND, "amdsmi_get_processor_handles: status %d",
                               rc);
            goto out;
        }
        free(proc_handles);
        proc_handles = calloc(n_proc + 1, sizeof *proc_handles);
        if (proc_handles == NULL ||
            (rc = processors(socket_handles[s], &n_proc, proc_handles)) != AMDSMI_STATUS_SUCCESS) {
            st = aim_set_error(AIM_GPU_ERR_BACKEND, "amdsmi_get_processor_handles: status %d",
                               rc);
            goto out;
        }
        if (device < seen + n_proc) {
            target = proc_handles[device - seen];
        }
        seen += n_proc;
    }
    if (target == NULL) {
        st = aim_set_error(AIM_GPU_ERR_NO_DEVICE, "amd-smi device %u of %u", device, seen);
        goto out;
    }
    uint32_t n = 0;
    if ((rc = proc_list(target, &n, NULL)) != AMDSMI_STATUS_SUCCESS) {
        st = aim_set_error(AIM_GPU_ERR_BACKEND, "amdsmi_get_gpu_process_list: status %d", rc);
        goto out;
    }
    if (n == 0) {
        goto out;
    }
    if (n > AIM_VRAM_MAX_PROCS) {
        n = AIM_VRAM_MAX_PROCS;
    }
    uint32_t cap = n + 8;
    buf = calloc(cap, sizeof(amdsmi_proc_info) + AIM_VRAM_ENTRY_SLACK);
    if (buf == NULL) {
        st = aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "process buffer allocation failed");
        goto out;
    }
    uint32_t got = cap;
    if ((rc = proc_list(target, &got, buf)) != AMDSMI_STATUS_SUCCESS) {
        st = aim_set_error(AIM_GPU_ERR_BACKEND, "amdsmi_get_gpu_process_list: status %d", rc);
        goto out;
    }
    for (uint32_t i = 0; i < got && i < cap; i++) {
        amdsmi_proc_info p;
        memcpy(&p, buf + (size_t)i * sizeof p, sizeof p);
        if (push(r, p.pid, p.memory_usage.vram_mem) != 0) {
            st = aim_set_error(AIM_GPU_ERR_OUT_OF_MEMORY, "result allocation failed");
            break;
        }
    }
out:
    free(buf);
    free(proc_handles);
    free(socket_handles);
    shutdown();
    dlclose(h);
    return st;
}

/* ---- entry point ------------------------------------------------------------ */

typedef aim_gpu_status (*vram_query)(unsigned device, vram_result *r);

aim_gpu_status aim_gpu_process_vram_list(aim_gpu_vram_source source, unsigned device,
                                         aim_gpu_process_vram *out, size_t capacity,
                                         size_t *count, aim_gpu_vram_source *used_source)
{
    if (count == NULL || (out == NULL && capacity > 0)) {
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "count is NULL or out is NULL");
    }
    static const aim_gpu_vram_source auto_order[] = {
        AIM_GPU_VRAM_ROCM_SMI, AIM_GPU_VRAM_AMDSMI, AIM_GPU_VRAM_NVML};
    const aim_gpu_vram_source *order;
    size_t n_order;
    switch (source) {
    case AIM_GPU_VRAM_AUTO:
        order = auto_order;
        n_order = sizeof auto_order / sizeof auto_order[0];
        break;
    case AIM_GPU_VRAM_NVML:
    case AIM_GPU_VRAM_AMDSMI:
    case AIM_GPU_VRAM_ROCM_SMI:
        order = &source;
        n_order = 1;
        break;
    default:
        return aim_set_error(AIM_GPU_ERR_INVALID_ARGUMENT, "unknown VRAM source %d", (int)source);
    }
    char details[3][96];
    memset(details, 0, sizeof details);
    for (size_t i = 0; i < n_order; i++) {
        vram_result r = {NULL, 0};
        aim_gpu_status st;
        switch (order[i]) {
        case AIM_GPU_VRAM_NVML:
            st = query_nvml(device, &r);
            break;
        case AIM_GPU_VRAM_AMDSMI:
            st = query_amdsmi(device, &r);
            break;
        default:
            st = query_rocm_smi(device, &r);
            break;
        }
        if (st == AIM_GPU_ERR_UNAVAILABLE) {
            free(r.items);
            snprintf(details[i], sizeof details[i], "%s: %s", aim_gpu_vram_source_name(order[i]),
                     aim_gpu_last_error_detail());
            continue; /* next library, if any */
        }
        if (st != AIM_GPU_OK) {
            free(r.items);
            return st;
        }
        *count = r.count;
        if (used_source != NULL) {
            *used_source = order[i];
        }
        size_t n = r.count < capacity ? r.count : capacity;
        if (n > 0) {
            memcpy(out, r.items, n * sizeof *out);
        }
        free(r.items);
        if (r.count > capacity) {
            return aim_set_error(AIM_GPU_ERR_BUFFER_TOO_SMALL, "%zu processes, capacity %zu",
                                 r.count, capacity);
        }
        return AIM_GPU_OK;
    }
    if (n_order == 1) {
        return aim_set_error(AIM_GPU_ERR_UNAVAILABLE, "%s", details[0]);
    }
    return aim_set_error(AIM_GPU_ERR_UNAVAILABLE, "%.90s; %.90s; %.90s", details[0], details[1],
                         details[2]);
}
