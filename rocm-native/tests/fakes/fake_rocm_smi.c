/*
 * Fake librocm_smi64 for the loader tests: processes 11, 22, 33; 11 and 33
 * hold memory on device 0, 22 on device 1.
 */
#include <stdint.h>
#include <string.h>

typedef struct {
    uint32_t process_id;
    uint32_t pasid;
    uint64_t vram_usage;
    uint64_t sdma_usage;
    uint32_t cu_occupancy;
} fake_rsmi_proc;

int rsmi_init(uint64_t flags);
int rsmi_shut_down(void);
int rsmi_num_monitor_devices(uint32_t *n);
int rsmi_compute_process_info_get(fake_rsmi_proc *procs, uint32_t *num_items);
int rsmi_compute_process_info_by_device_get(uint32_t pid, uint32_t dv_ind, fake_rsmi_proc *proc);

int rsmi_init(uint64_t flags)
{
    (void)flags;
    return 0;
}

int rsmi_shut_down(void)
{
    return 0;
}

int rsmi_num_monitor_devices(uint32_t *n)
{
    *n = 2;
    return 0;
}

int rsmi_compute_process_info_get(fake_rsmi_proc *procs, uint32_t *num_items)
{
    static const uint32_t pids[3] = {11, 22, 33};
    if (procs == NULL) {
        *num_items = 3;
        return 0;
    }
    uint32_t n = *num_items < 3 ? *num_items : 3;
    for (uint32_t i = 0; i < n; i++) {
        memset(&procs[i], 0, sizeof procs[i]);
        procs[i].process_id = pids[i];
        procs[i].vram_usage = 999; /* all-device totals; must not be reported */
    }
    *num_items = n;
    return 0;
}

int rsmi_compute_process_info_by_device_get(uint32_t pid, uint32_t dv_ind, fake_rsmi_proc *proc)
{
    memset(proc, 0, sizeof *proc);
    proc->process_id = pid;
    if (dv_ind == 0 && pid == 11) {
        proc->vram_usage = 4096;
        return 0;
    }
    if (dv_ind == 0 && pid == 33) {
        proc->vram_usage = 8ull << 30;
        return 0;
    }
    if (dv_ind == 1 && pid == 22) {
        proc->vram_usage = 1u << 20;
        return 0;
    }
    return 2; /* RSMI_STATUS_NOT_SUPPORTED-like: not on this device */
}
