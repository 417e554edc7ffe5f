/*
 * aim_gpu.h - native GPU layer of AIM.next on Flink.
 *
 * Three things, each usable without the others:
 *
 *   1. Devices and hardware partitions. AMD compute partitions (SPX/DPX/TPX/
 *      QPX/CPX) and memory partitions (NPSn) are read from sysfs
 *      (<root>/class/drm/cardN/device/{current,available}_{compute,memory}_partition).
 *      CUDA/HIP runtime devices can be listed through the runtime.
 *   2. Memory-quota pools. A pool caps the bytes that this process allocates
 *      through it. It does NOT confine other processes: isolation between
 *      processes comes only from hardware partitions, whose per-partition
 *      memory the kernel driver enforces.
 *   3. Per-process VRAM, read through NVML (NVIDIA) or rocm-smi / amd-smi (AMD),
 *      which are loaded with dlopen at run time and never linked.
 *
 * Conventions
 *   - Every function that can fail returns aim_gpu_status; AIM_GPU_OK is 0.
 *   - Out-parameters are written only on success unless documented otherwise.
 *   - aim_gpu_last_error_detail() gives a thread-local, human-readable detail
 *     for the last failing call on the calling thread.
 *   - All functions are thread-safe. A pool handle may be shared by threads;
 *     it must not be used during or after aim_gpu_pool_destroy().
 */
#ifndef AIM_GPU_H
#define AIM_GPU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define AIM_GPU_API __attribute__((visibility("default")))
#else
#define AIM_GPU_API
#endif

#define AIM_GPU_VERSION_MAJOR 0
#define AIM_GPU_VERSION_MINOR 1
#define AIM_GPU_VERSION_PATCH 0

/* ------------------------------------------------------------------ */
/* Status codes                                                        */
/* ------------------------------------------------------------------ */

typedef enum aim_gpu_status {
    AIM_GPU_OK = 0,
    /** A NULL handle or out-pointer, a zero or negative size, an unknown enum value. */
    AIM_GPU_ERR_INVALID_ARGUMENT = 1,
    /** The allocation would take the pool past its quota; nothing was allocated. */
    AIM_GPU_ERR_QUOTA_EXCEEDED = 2,
    /** The pointer is not a live allocation of this pool (double free or foreign pointer). */
    AIM_GPU_ERR_UNKNOWN_POINTER = 3,
    /** The backend was not compiled in, or it has no usable device/driver right now. */
    AIM_GPU_ERR_BACKEND_UNAVAILABLE = 4,
    /** The backend (malloc, CUDA, HIP) ran out of memory below the pool quota. */
    AIM_GPU_ERR_OUT_OF_MEMORY = 5,
    /** A sysfs partition file held a value that is not a known mode, or was malformed. */
    AIM_GPU_ERR_SYSFS_PARSE = 6,
    /** Per-process VRAM: no usable NVML / amd-smi / rocm-smi library on this machine. */
    AIM_GPU_ERR_UNAVAILABLE = 7,
    /** The device index is out of range. */
    AIM_GPU_ERR_NO_DEVICE = 8,
    /** The device or backend does not support the operation (e.g. no memory pools). */
    AIM_GPU_ERR_NOT_SUPPORTED = 9,
    /** The sysfs root, or a directory under it, could not be read. */
    AIM_GPU_ERR_IO = 10,
    /** The caller's array is too small; the needed count was written. */
    AIM_GPU_ERR_BUFFER_TOO_SMALL = 11,
    /** A CUDA / HIP / NVML / SMI call failed; see aim_gpu_last_error_detail(). */
    AIM_GPU_ERR_BACKEND = 12,
    /** An internal invariant broke; this is a bug in the library. */
    AIM_GPU_ERR_INTERNAL = 13,
    /** Not a status: the number of codes above. */
    AIM_GPU_STATUS_COUNT = 14
} aim_gpu_status;

/** Human-readable, static message for any code (also for out-of-range values). */
AIM_GPU_API const char *aim_gpu_strerror(int status);

/** Symbolic name of a code, e.g. "AIM_GPU_ERR_QUOTA_EXCEEDED". */
AIM_GPU_API const char *aim_gpu_status_name(int status);

/**
 * Detail of the last failing call made by this thread (e.g. the CUDA error
 * string or the dlopen message). Empty string if none. Valid until the next
 * library call on the same thread.
 */
AIM_GPU_API const char *aim_gpu_last_error_detail(void);

/** "major.minor.patch (backends: host cuda hip)" - the backends compiled in. */
AIM_GPU_API const char *aim_gpu_version(void);

/* ------------------------------------------------------------------ */
/* Backends                                                            */
/* ------------------------------------------------------------------ */

typedef enum aim_gpu_backend {
    AIM_GPU_BACKEND_HOST = 0, /**< malloc with quota accounting; always compiled */
    AIM_GPU_BACKEND_CUDA = 1, /**< cudaMemPool; compiled when nvcc/CUDA was found */
    AIM_GPU_BACKEND_HIP = 2,  /**< hipMemPool; compiled when hipcc/HIP was found */
    AIM_GPU_BACKEND_COUNT = 3
} aim_gpu_backend;

typedef struct aim_gpu_backend_info {
    aim_gpu_backend backend;
    int compiled;          /**< 1 if built into this library */
    int usable;            /**< 1 if at least one device answers now */
    int device_count;      /**< devices the runtime sees (host: 1) */
    int runtime_version;   /**< cudaRuntimeGetVersion / hipRuntimeGetVersion; 0 for host */
    int driver_version;    /**< cudaDriverGetVersion / hipDriverGetVersion; 0 if unknown */
    /**
     * 1 if the backend's own pool enforces the quota as well (CUDA >= 12.2
     * maxSize, HIP headers with maxSize); 0 if the quota is enforced by this
     * library's accounting only. The accounting is always on.
     */
    int pool_cap_enforced_by_runtime;
    char detail[192];      /**< why not usable, or a short summary */
} aim_gpu_backend_info;

/** Short lowercase name: "host", "cuda", "hip"; "unknown" otherwise. */
AIM_GPU_API const char *aim_gpu_backend_name(aim_gpu_backend backend);

/** 1 if the backend was compiled into this library, else 0. */
AIM_GPU_API int aim_gpu_backend_compiled(aim_gpu_backend backend);

/**
 * Probes a backend. Fills *info in every case (also when not usable).
 * Returns AIM_GPU_OK if usable, AIM_GPU_ERR_BACKEND_UNAVAILABLE if not compiled
 * or no device/driver answers, AIM_GPU_ERR_INVALID_ARGUMENT for bad input.
 */
AIM_GPU_API aim_gpu_status aim_gpu_backend_query(aim_gpu_backend backend,
                                                 aim_gpu_backend_info *info);

/* ------------------------------------------------------------------ */
/* Devices and partitions                                              */
/* ------------------------------------------------------------------ */

/** Compute partition modes; the value doubles as the bit index of masks. */
typedef enum aim_gpu_compute_partition {
    AIM_GPU_COMPUTE_NONE = 0, /**< not reported (no sysfs file, or not AMD) */
    AIM_GPU_COMPUTE_SPX = 1,  /**< one logical GPU per device */
    AIM_GPU_COMPUTE_DPX = 2,
    AIM_GPU_COMPUTE_TPX = 3,
    AIM_GPU_COMPUTE_QPX = 4,
    AIM_GPU_COMPUTE_CPX = 5   /**< one logical GPU per XCD */
} aim_gpu_compute_partition;

/** Memory partition modes: the value is N of NPSN and the bit index of masks. */
typedef enum aim_gpu_memory_partition {
    AIM_GPU_MEMORY_NONE = 0,
    AIM_GPU_MEMORY_NPS1 = 1,
    AIM_GPU_MEMORY_NPS2 = 2,
    AIM_GPU_MEMORY_NPS3 = 3,
    AIM_GPU_MEMORY_NPS4 = 4,
    AIM_GPU_MEMORY_NPS6 = 6,
    AIM_GPU_MEMORY_NPS8 = 8
} aim_gpu_memory_partition;

#define AIM_GPU_MODE_BIT(mode) (1u << (unsigned)(mode))

/** What a device entry stands for. */
typedef enum aim_gpu_node_kind {
    AIM_GPU_NODE_PHYSICAL = 0,  /**< a PCI GPU (sysfs) or a runtime device */
    AIM_GPU_NODE_PARTITION = 1, /**< an extra amdgpu partition node (amdgpu_xcp_N) */
    AIM_GPU_NODE_HOST = 2       /**< the host backend's pseudo-device */
} aim_gpu_node_kind;

#define AIM_GPU_NAME_MAX 128

typedef struct aim_gpu_device_info {
    int index;                    /**< position in the list */
    int card;                     /**< N of /sys/class/drm/cardN; -1 for runtime devices */
    aim_gpu_node_kind kind;
    /**
     * For AIM_GPU_NODE_PARTITION: list index of the physical GPU this node
     * belongs to (the nearest preceding physical card, the order in which
     * amdgpu creates them), or -1 if none precedes it. -1 otherwise.
     */
    int parent_index;
    int partition_id;             /**< 0 for a physical GPU; 1.. for partition nodes */
    char name[AIM_GPU_NAME_MAX];
    char bus_id[32];              /**< PCI address ("0000:0c:00.0") or "" */
    uint64_t total_memory_bytes;  /**< 0 if unknown */
    aim_gpu_compute_partition compute_current;
    uint32_t compute_available;   /**< mask of AIM_GPU_MODE_BIT(aim_gpu_compute_partition) */
    aim_gpu_memory_partition memory_current;
    uint32_t memory_available;    /**< mask of AIM_GPU_MODE_BIT(aim_gpu_memory_partition) */
    /**
     * AIM_GPU_OK if the partition files present were all parsed;
     * AIM_GPU_ERR_NOT_SUPPORTED if the device has none of them;
     * AIM_GPU_ERR_SYSFS_PARSE if any was malformed or held an unknown mode
     * (the fields from that file are then NONE/0, the others are kept).
     */
    aim_gpu_status partition_status;
} aim_gpu_device_info;

typedef struct aim_gpu_device_list aim_gpu_device_list;

/**
 * Lists AMD GPUs and their partition modes from sysfs. Does not need any GPU
 * runtime. sysfs_root: NULL means $AIM_GPU_SYSFS_ROOT, or "/sys" if unset.
 * Cards are taken in numeric order; non-AMD cards (vendor != 0x1002) and
 * connector entries (card0-DP-1) are skipped. A root without class/drm gives
 * an empty list. Returns AIM_GPU_ERR_IO if the root cannot be read.
 */
AIM_GPU_API aim_gpu_status aim_gpu_sysfs_scan(const char *sysfs_root,
                                              aim_gpu_device_list **out);

/**
 * Lists the devices a backend's runtime sees (name, memory, PCI address).
 * Partition fields are NONE with partition_status AIM_GPU_ERR_NOT_SUPPORTED.
 * The host backend lists one pseudo-device with the physical RAM size.
 */
AIM_GPU_API aim_gpu_status aim_gpu_device_scan(aim_gpu_backend backend,
                                               aim_gpu_device_list **out);

AIM_GPU_API size_t aim_gpu_device_list_count(const aim_gpu_device_list *list);
AIM_GPU_API aim_gpu_status aim_gpu_device_list_get(const aim_gpu_device_list *list,
                                                   size_t index,
                                                   aim_gpu_device_info *out);
AIM_GPU_API void aim_gpu_device_list_free(aim_gpu_device_list *list);

/** "SPX", "DPX", ...; "NONE" for AIM_GPU_COMPUTE_NONE; NULL for other values. */
AIM_GPU_API const char *aim_gpu_compute_partition_name(aim_gpu_compute_partition mode);
/** "NPS1", ...; "NONE" for AIM_GPU_MEMORY_NONE; NULL for other values. */
AIM_GPU_API const char *aim_gpu_memory_partition_name(aim_gpu_memory_partition mode);

/**
 * Parsers for the sysfs file contents, exposed for tools and tests.
 * `text` need not be NUL-terminated; `len` bytes are read. A trailing newline
 * and surrounding blanks are accepted. Lists are comma-separated
 * ("SPX, DPX, QPX, CPX\n"); empty items are ignored. Any unknown token, an
 * empty value, a NUL byte or more than 4096 bytes gives AIM_GPU_ERR_SYSFS_PARSE.
 */
AIM_GPU_API aim_gpu_status aim_gpu_parse_compute_partition(const char *text, size_t len,
                                                           aim_gpu_compute_partition *out);
AIM_GPU_API aim_gpu_status aim_gpu_parse_compute_partition_list(const char *text, size_t len,
                                                                uint32_t *mask_out);
AIM_GPU_API aim_gpu_status aim_gpu_parse_memory_partition(const char *text, size_t len,
                                                          aim_gpu_memory_partition *out);
AIM_GPU_API aim_gpu_status aim_gpu_parse_memory_partition_list(const char *text, size_t len,
                                                               uint32_t *mask_out);

/* ------------------------------------------------------------------ */
/* Memory-quota pools                                                  */
/* ------------------------------------------------------------------ */

typedef struct aim_gpu_pool aim_gpu_pool;

typedef struct aim_gpu_pool_stats {
    aim_gpu_backend backend;
    int device;
    uint64_t quota_bytes;
    /** Bytes of live allocations (requested sizes), including allocations in flight. */
    uint64_t used_bytes;
    /**
     * Bytes the backend holds for this pool: host = used_bytes; CUDA/HIP =
     * the runtime pool's ReservedMemCurrent (may exceed used_bytes up to the
     * release threshold, and is rounded up to the runtime's granularity).
     */
    uint64_t reserved_bytes;
    uint64_t high_water_bytes;      /**< maximum of used_bytes since creation */
    uint64_t alloc_count;           /**< successful allocations since creation */
    uint64_t free_count;            /**< successful frees since creation */
    uint64_t failed_alloc_count;    /**< allocations refused: quota + out of memory + backend errors */
    uint64_t quota_rejected_count;  /**< of which refused for the quota */
    uint64_t live_allocations;      /**< allocations not freed yet */
} aim_gpu_pool_stats;

/**
 * Creates a pool that allocates on `device` of `backend` and never lets the
 * bytes of its live allocations exceed `quota_bytes` (> 0).
 *
 * release_threshold_bytes: bytes a CUDA/HIP pool keeps cached after frees
 * (cudaMemPoolAttrReleaseThreshold); 0 returns freed memory to the driver at
 * each synchronisation. Ignored by the host backend.
 *
 * Errors: INVALID_ARGUMENT, BACKEND_UNAVAILABLE, NO_DEVICE, NOT_SUPPORTED,
 * OUT_OF_MEMORY, BACKEND.
 */
AIM_GPU_API aim_gpu_status aim_gpu_pool_create(aim_gpu_backend backend, int device,
                                               uint64_t quota_bytes,
                                               uint64_t release_threshold_bytes,
                                               aim_gpu_pool **out);

/**
 * Allocates `size` bytes. Returns when the memory is usable (device backends
 * synchronise their internal stream). size must be in 1..INT64_MAX: a
 * negative Java long cast to size_t is refused with INVALID_ARGUMENT.
 * AIM_GPU_ERR_QUOTA_EXCEEDED if used + size would pass the quota (also when
 * the runtime's own pool cap refuses it); AIM_GPU_ERR_OUT_OF_MEMORY if the
 * device/host is out of memory below the quota.
 */
AIM_GPU_API aim_gpu_status aim_gpu_pool_alloc(aim_gpu_pool *pool, size_t size, void **out);

/**
 * Frees an allocation of this pool. The caller guarantees no pending device
 * work uses it (as with cudaFree). AIM_GPU_ERR_UNKNOWN_POINTER for a pointer
 * that is not live in this pool (double free, foreign pointer): nothing is
 * freed and the pool is unchanged. NULL gives AIM_GPU_ERR_INVALID_ARGUMENT.
 */
AIM_GPU_API aim_gpu_status aim_gpu_pool_free(aim_gpu_pool *pool, void *ptr);

/** Consistent snapshot of the counters (taken under the pool lock). */
AIM_GPU_API aim_gpu_status aim_gpu_pool_stats_get(aim_gpu_pool *pool, aim_gpu_pool_stats *out);

/**
 * Frees every live allocation, then the pool. *outstanding (may be NULL)
 * receives how many allocations were still live. NULL pool: INVALID_ARGUMENT.
 */
AIM_GPU_API aim_gpu_status aim_gpu_pool_destroy(aim_gpu_pool *pool, uint64_t *outstanding);

/* ------------------------------------------------------------------ */
/* Per-process VRAM                                                    */
/* ------------------------------------------------------------------ */

typedef enum aim_gpu_vram_source {
    AIM_GPU_VRAM_AUTO = 0,     /**< rocm-smi, then amd-smi, then NVML: first that initialises */
    AIM_GPU_VRAM_NVML = 1,     /**< libnvidia-ml.so.1 ($AIM_GPU_NVML_LIBRARY overrides) */
    AIM_GPU_VRAM_AMDSMI = 2,   /**< libamd_smi.so ($AIM_GPU_AMDSMI_LIBRARY overrides) */
    AIM_GPU_VRAM_ROCM_SMI = 3  /**< librocm_smi64.so ($AIM_GPU_ROCM_SMI_LIBRARY overrides) */
} aim_gpu_vram_source;

/** used_bytes value when the library reports the amount as not available. */
#define AIM_GPU_VRAM_UNKNOWN UINT64_MAX

typedef struct aim_gpu_process_vram {
    uint32_t pid;        /**< as the library reports it (host PID namespace for NVML) */
    uint64_t used_bytes; /**< or AIM_GPU_VRAM_UNKNOWN */
} aim_gpu_process_vram;

/**
 * Lists processes holding memory on `device` (the library's own device index:
 * NVML index, rocm-smi index, or amd-smi processor order).
 *
 * *count receives the number of processes in every successful case and with
 * AIM_GPU_ERR_BUFFER_TOO_SMALL (then the first `capacity` entries are
 * written; `out` may be NULL when capacity is 0). *used_source (may be NULL)
 * receives the library that answered.
 *
 * AIM_GPU_ERR_UNAVAILABLE: no such library could be loaded and initialised.
 * This is an expected answer on machines without the vendor stack; the
 * process is not affected.
 */
AIM_GPU_API aim_gpu_status aim_gpu_process_vram_list(aim_gpu_vram_source source,
                                                     unsigned device,
                                                     aim_gpu_process_vram *out,
                                                     size_t capacity,
                                                     size_t *count,
                                                     aim_gpu_vram_source *used_source);

/** "auto", "nvml", "amdsmi", "rocm_smi"; "unknown" otherwise. */
AIM_GPU_API const char *aim_gpu_vram_source_name(aim_gpu_vram_source source);

#ifdef __cplusplus
}
#endif

#endif /* AIM_GPU_H */
