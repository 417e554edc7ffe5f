package dev.aimnext.rocm;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to "which processes hold memory on this device". "Unavailable" is an expected answer,
 * not an error: machines without NVML, amd-smi or rocm-smi (or without the native library) give it,
 * and callers such as the GPU collector then report no processes instead of failing.
 */
public final class ProcessVram {

    private final VramSource source;
    private final List<ProcessMemory> processes;
    private final String unavailableReason;

    private ProcessVram(VramSource source, List<ProcessMemory> processes, String unavailableReason) {
        this.source = source;
        this.processes = processes;
        this.unavailableReason = unavailableReason;
    }

    /** The library {@code source} answered with this list (possibly empty). */
    public static ProcessVram available(VramSource source, List<ProcessMemory> processes) {
        return new ProcessVram(Objects.requireNonNull(source), List.copyOf(processes), null);
    }

    /** No library could answer, for the reason given. */
    public static ProcessVram unavailable(String reason) {
        return new ProcessVram(null, List.of(), Objects.requireNonNull(reason));
    }

    public boolean isAvailable() {
        return unavailableReason == null;
    }

    /** The processes; empty when unavailable. */
    public List<ProcessMemory> processes() {
        return processes;
    }

    /** The library that answered; empty when unavailable. */
    public Optional<VramSource> source() {
        return Optional.ofNullable(source);
    }

    /** Why no library answered; empty when available. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailableReason);
    }

    /** Sum of the amounts the library knows; processes with an unknown amount count as 0. */
    public long knownBytes() {
        return processes.stream().mapToLong(p -> p.usedBytes().orElse(0)).sum();
    }

    @Override
    public String toString() {
        return isAvailable()
                ? "ProcessVram[" + source + ", " + processes + "]"
                : "ProcessVram[unavailable: " + unavailableReason + "]";
    }
}
