package dev.aimnext.jobs.collector;

import dev.aimnext.rocm.ComputePartition;
import dev.aimnext.rocm.GpuBackend;
import dev.aimnext.rocm.GpuDevice;
import dev.aimnext.rocm.GpuException;
import dev.aimnext.rocm.GpuRuntime;
import dev.aimnext.rocm.NodeKind;
import dev.aimnext.rocm.ProcessMemory;
import dev.aimnext.rocm.ProcessVram;
import dev.aimnext.rocm.VramSource;
import dev.aimnext.schemas.event.GpuProcess;
import dev.aimnext.schemas.event.GpuSample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns one reading of the GPUs into {@link GpuSample} events, one per partition.
 *
 * <p><b>Where the data comes from.</b> AMD GPUs and their modes come from sysfs; when there are
 * none and a GPU backend (CUDA or HIP) is active, the runtime's devices are used, one partition
 * each. Without either there is no GPU and the list is empty.
 *
 * <p><b>Partitions.</b> The number of partitions of an AMD GPU follows its compute mode: SPX 1, DPX
 * 2, TPX 3, QPX 4, CPX one per XCD. amdgpu creates its partition nodes at load time whatever the
 * mode, so nodes are not counted except in CPX, where the driver makes one node per XCD and that
 * count is the only place the XCD number shows. The memory limit of a partition is the device
 * memory divided by the partition count (MI300X: SPX 1×192 GB, CPX 8×24 GB).
 *
 * <p><b>VRAM used.</b> The sum of the per-process amounts when a vendor library answers; otherwise,
 * for an unpartitioned AMD GPU, {@code mem_info_vram_used} from sysfs; otherwise -1, meaning
 * unknown. Vendor libraries number partitions as devices, so partitions are numbered for them in
 * sysfs order, GPU by GPU (an assumption not yet checked on MI300 hardware).
 */
public final class GpuSampler {

    /** vramUsedBytes and GpuProcess.vramBytes when the amount is not known. */
    public static final long UNKNOWN_BYTES = -1;

    private final GpuRuntime runtime;
    private final String node;
    private final ProcessVramReader vram;
    private final Path procRoot;
    private final Clock clock;

    /**
     * @param procRoot where {@code <pid>/comm} gives process names ({@code /proc} in production)
     */
    public GpuSampler(GpuRuntime runtime, String node, ProcessVramReader vram, Path procRoot, Clock clock) {
        this.runtime = runtime;
        this.node = node;
        this.vram = vram;
        this.procRoot = procRoot;
        this.clock = clock;
    }

    /** The production sampler: VRAM from whichever vendor library loads, names from /proc. */
    public static GpuSampler of(GpuRuntime runtime, String node) {
        return new GpuSampler(runtime, node, device -> runtime.processVram(VramSource.AUTO, device), Path.of("/proc"),
                Clock.systemUTC());
    }

    public String node() {
        return node;
    }

    /**
     * One sample per partition, in device order; empty when the machine has no GPU.
     *
     * @throws GpuException if sysfs cannot be read at all
     */
    public List<GpuSample> sample() {
        long now = clock.millis();
        List<GpuDevice> sysfs = runtime.sysfsDevices();
        List<GpuSample> samples = new ArrayList<>();
        if (sysfs.stream().anyMatch(GpuDevice::isPhysical)) {
            int vendorIndex = 0;
            for (GpuDevice gpu : sysfs) {
                if (gpu.isPhysical()) {
                    vendorIndex = sampleAmdGpu(gpu, sysfs, vendorIndex, now, samples);
                }
            }
        } else if (runtime.backend() != GpuBackend.HOST) {
            for (GpuDevice device : runtime.runtimeDevices()) {
                ProcessVram processes = readVram(device.index());
                long used = processes.isAvailable() ? processes.knownBytes() : UNKNOWN_BYTES;
                samples.add(sample(device, gpuId(device, runtime.backend().label() + device.index()), 0,
                        device.totalMemoryBytes(), used, processes, now));
            }
        }
        return samples;
    }

    private int sampleAmdGpu(GpuDevice gpu, List<GpuDevice> all, int vendorIndex, long now, List<GpuSample> out) {
        long nodes = 1 + all.stream()
                .filter(d -> d.kind() == NodeKind.PARTITION && d.parentIndex() == gpu.index())
                .count();
        int partitions = partitionCount(gpu.partitions().compute(), nodes);
        long limit = gpu.totalMemoryBytes() / partitions;
        String gpuId = gpuId(gpu, "card" + gpu.card());
        for (int p = 0; p < partitions; p++) {
            ProcessVram processes = readVram(vendorIndex++);
            long used;
            if (processes.isAvailable()) {
                used = processes.knownBytes();
            } else if (partitions == 1) {
                used = sysfsVramUsed(gpu.card());
            } else {
                used = UNKNOWN_BYTES;
            }
            out.add(sample(gpu, gpuId, p, limit, used, processes, now));
        }
        return vendorIndex;
    }

    /** Partitions a compute mode makes; see the class comment for why CPX counts nodes. */
    static int partitionCount(ComputePartition mode, long nodes) {
        return switch (mode) {
            case NONE, SPX -> 1;
            case DPX -> 2;
            case TPX -> 3;
            case QPX -> 4;
            case CPX -> (int) Math.max(1, nodes);
        };
    }

    private GpuSample sample(GpuDevice device, String gpuId, int partition, long limit, long used,
            ProcessVram processes, long now) {
        List<GpuProcess> listed = new ArrayList<>();
        for (ProcessMemory p : processes.processes()) {
            listed.add(GpuProcess.newBuilder()
                    .setPid(p.pid())
                    .setName(processName(p.pid()))
                    .setVramBytes(p.usedBytes().orElse(UNKNOWN_BYTES))
                    .setModel(null)
                    .build());
        }
        listed.sort(Comparator.comparingLong(GpuProcess::getVramBytes).reversed()
                .thenComparingInt(GpuProcess::getPid));
        return GpuSample.newBuilder()
                .setNode(node)
                .setGpuId(gpuId)
                .setPartitionId(Integer.toString(partition))
                .setComputePartitionMode(device.partitions().compute().name())
                .setMemoryPartitionMode(device.partitions().memory().name())
                .setVramUsedBytes(used)
                .setVramLimitBytes(limit)
                .setActivityPct(null)
                .setProcesses(listed)
                .setBackend(runtime.backend().label())
                .setSampledAtMs(now)
                .build();
    }

    /** The PCI address is stable across reboots and driver reloads; card numbers are not. */
    private static String gpuId(GpuDevice device, String fallback) {
        return device.busId().isEmpty() ? fallback : device.busId();
    }

    private ProcessVram readVram(int device) {
        try {
            return vram.read(device);
        } catch (GpuException e) {
            // A library that loads but fails for one device must not stop the other samples.
            return ProcessVram.unavailable(e.getMessage());
        }
    }

    private long sysfsVramUsed(int card) {
        Path file = runtime.sysfsRoot().resolve("class/drm/card" + card + "/device/mem_info_vram_used");
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return UNKNOWN_BYTES;
        }
    }

    private String processName(int pid) {
        try {
            return Files.readString(procRoot.resolve(Integer.toString(pid)).resolve("comm"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return ""; // another PID namespace, or the process ended
        }
    }
}
