package dev.aimnext.rocm;

import java.util.OptionalLong;

/**
 * One process holding memory on a device.
 *
 * @param pid as the vendor library reports it (NVML: the host's PID namespace, which may differ
 *     from the PIDs inside a container)
 * @param usedBytes empty when the library reports the amount as not available
 */
public record ProcessMemory(int pid, OptionalLong usedBytes) {}
