package dev.aimnext.operators.qos.telemetry.vllm;

import dev.aimnext.schemas.event.GpuProcess;
import dev.aimnext.schemas.event.GpuSample;

import java.util.List;
import java.util.Optional;

/**
 * The memory side of a vLLM scrape as a {@link GpuSample}, so the QoS job sees memory pressure of
 * partitions that no GPU collector watches (a pod without device access, a non-AMD node).
 *
 * <p>What the fields mean here: {@code vramLimitBytes} is the model's configured budget in the
 * partition; {@code vramUsedBytes} is KV-cache usage times that budget, that is, the budget is read
 * as the memory the KV cache can fill. Weights and activations are not in it, so this is a
 * pressure signal (how full the cache vLLM reserved is), not a reading of device memory; a GPU
 * collector sample of the same partition is the reading. Without a KV gauge it is -1, unknown, as
 * the collector writes it. {@code activityPct} stays null. The one process entry names the model,
 * with pid -1 (not known from {@code /metrics}). {@code backend} is {@code vllm}, so consumers can
 * tell these samples from the collector's.
 *
 * <p>Running and waiting requests have no field in GpuSample and are not published here.
 */
public final class KvCacheGpuSample {

    /** GpuSample.backend of these samples. */
    public static final String BACKEND = "vllm";

    static final long UNKNOWN = -1;

    private KvCacheGpuSample() {}

    /** The sample, or empty when the target has no VRAM limit to scale KV-cache usage by. */
    public static Optional<GpuSample> of(ScrapeTarget target, VllmGauges gauges, long sampledAtMs) {
        if (target.vramLimitBytes() == 0) {
            return Optional.empty();
        }
        long used = gauges.kvCacheUsage().isPresent()
                ? Math.round(Math.min(1, Math.max(0, gauges.kvCacheUsage().getAsDouble())) * target.vramLimitBytes())
                : UNKNOWN;
        GpuProcess server = GpuProcess.newBuilder()
                .setPid((int) UNKNOWN)
                .setName("vllm")
                .setVramBytes(used)
                .setModel(target.model())
                .build();
        return Optional.of(GpuSample.newBuilder()
                .setNode(target.node())
                .setGpuId(target.gpuId())
                .setPartitionId(target.partitionId())
                .setComputePartitionMode(target.computePartitionMode())
                .setMemoryPartitionMode(target.memoryPartitionMode())
                .setVramUsedBytes(used)
                .setVramLimitBytes(target.vramLimitBytes())
                .setActivityPct(null)
                .setProcesses(List.of(server))
                .setBackend(BACKEND)
                .setSampledAtMs(sampledAtMs)
                .build());
    }
}
