/*
 * Fake libnvidia-ml for the loader tests: two devices; device 0 runs three
 * processes (one reports NVML_VALUE_NOT_AVAILABLE), device 1 none.
 * FAKE_NVML_FAIL_INIT=1 makes nvmlInit_v2 fail like a machine without a driver.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} fake_nvml_proc;

typedef struct fake_device {
    int index;
} fake_device;

static fake_device g_devices[2] = {{0}, {1}};

int nvmlInit_v2(void);
int nvmlShutdown(void);
int nvmlDeviceGetCount_v2(unsigned *count);
int nvmlDeviceGetHandleByIndex_v2(unsigned index, fake_device **device);
int nvmlDeviceGetComputeRunningProcesses_v3(fake_device *device, unsigned *count,
                                            fake_nvml_proc *infos);

int nvmlInit_v2(void)
{
    const char *fail = getenv("FAKE_NVML_FAIL_INIT");
    return (fail != NULL && fail[0] == '1') ? 9 /* NVML_ERROR_DRIVER_NOT_LOADED */ : 0;
}

int nvmlShutdown(void)
{
    return 0;
}

int nvmlDeviceGetCount_v2(unsigned *count)
{
    *count = 2;
    return 0;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned index, fake_device **device)
{
    if (index >= 2) {
        return 2; /* NVML_ERROR_INVALID_ARGUMENT */
    }
    *device = &g_devices[index];
    return 0;
}

int nvmlDeviceGetComputeRunningProcesses_v3(fake_device *device, unsigned *count,
                                            fake_nvml_proc *infos)
{
    static const fake_nvml_proc procs[3] = {
        {100, 1ull << 20, 0xffffffffu, 0xffffffffu},
        {200, 2ull << 30, 0xffffffffu, 0xffffffffu},
        {300, ~0ull, 0xffffffffu, 0xffffffffu},
    };
    unsigned n = device->index == 0 ? 3 : 0;
    if (*count < n) {
        *count = n;
        return 7; /* NVML_ERROR_INSUFFICIENT_SIZE */
    }
    *count = n;
    if (n > 0) {
        memcpy(infos, procs, n * sizeof procs[0]);
    }
    return 0;
}
