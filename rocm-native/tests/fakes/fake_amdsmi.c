/*
 * Fake libamd_smi for the loader tests: two sockets with two GPUs each;
 * the first GPU of socket 1 (device 2) runs processes 7 and 8.
 * The struct restates the layout libaimgpu assumes (ROCm 6.2+ amdsmi.h).
 */
#include <stdint.h>
#include <string.h>

typedef struct {
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
} fake_amdsmi_proc;

static int g_sockets[2];
static int g_gpus[4];

int amdsmi_init(uint64_t flags);
int amdsmi_shut_down(void);
int amdsmi_get_socket_handles(uint32_t *count, void **handles);
int amdsmi_get_processor_handles(void *socket, uint32_t *count, void **handles);
int amdsmi_get_gpu_process_list(void *gpu, uint32_t *max_processes, fake_amdsmi_proc *list);

int amdsmi_init(uint64_t flags)
{
    return flags == (1u << 1) ? 0 : 1;
}

int amdsmi_shut_down(void)
{
    return 0;
}

int amdsmi_get_socket_handles(uint32_t *count, void **handles)
{
    if (handles == NULL) {
        *count = 2;
        return 0;
    }
    for (uint32_t i = 0; i < 2 && i < *count; i++) {
        handles[i] = &g_sockets[i];
    }
    *count = 2;
    return 0;
}

int amdsmi_get_processor_handles(void *socket, uint32_t *count, void **handles)
{
    int s = socket == &g_sockets[0] ? 0 : 1;
    if (handles == NULL) {
        *count = 2;
        return 0;
    }
    for (uint32_t i = 0; i < 2 && i < *count; i++) {
        handles[i] = &g_gpus[s * 2 + (int)i];
    }
    *count = 2;
    return 0;
}

int amdsmi_get_gpu_process_list(void *gpu, uint32_t *max_processes, fake_amdsmi_proc *list)
{
    uint32_t n = gpu == &g_gpus[2] ? 2 : 0;
    if (*max_processes == 0 || list == NULL) {
        *max_processes = n;
        return 0;
    }
    if (*max_processes < n) {
        return 8;
    }
    for (uint32_t i = 0; i < n; i++) {
        memset(&list[i], 0, sizeof list[i]);
        strcpy(list[i].name, i == 0 ? "python3" : "vllm");
        list[i].pid = 7 + i;
        list[i].mem = 1;
        list[i].memory_usage.vram_mem = i == 0 ? 123456 : 0;
    }
    *max_processes = n;
    return 0;
}
