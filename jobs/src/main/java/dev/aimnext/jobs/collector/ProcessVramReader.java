package dev.aimnext.jobs.collector;

import dev.aimnext.rocm.ProcessVram;

/**
 * Reads per-process VRAM for one device, by the vendor library's device index. The collector uses
 * {@code GpuRuntime.processVram(AUTO, device)}; tests hand in a fixed answer, because no vendor
 * library exists on a build machine.
 */
@FunctionalInterface
public interface ProcessVramReader {

    ProcessVram read(int device);
}
