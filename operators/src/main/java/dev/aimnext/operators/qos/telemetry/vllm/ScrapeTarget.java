package dev.aimnext.operators.qos.telemetry.vllm;

import dev.aimnext.schemas.event.RequestPriority;

import java.util.Objects;

/**
 * Who the scraped vLLM server is in the placement: the model it serves and where it runs. These
 * fill the event fields that {@code /metrics} cannot know.
 *
 * @param model the served model name, as vLLM's {@code model_name} label has it
 * @param partitionId the GPU partition the server runs in, e.g. {@code gpu0/cpx3}
 * @param node the host
 * @param gpuId the GPU, the key of {@code aim.telemetry.gpu}
 * @param priority the priority every estimated request is tagged with
 * @param vramLimitBytes the memory budget of the model in the partition; GpuSample reports KV-cache
 *     usage times this as used. 0 publishes no GpuSample
 * @param computePartitionMode SPX, DPX, QPX, CPX or NONE, copied into GpuSample
 * @param memoryPartitionMode NPS1, NPS4 or NONE, copied into GpuSample
 */
public record ScrapeTarget(String model, String partitionId, String node, String gpuId, RequestPriority priority,
        long vramLimitBytes, String computePartitionMode, String memoryPartitionMode) {

    public ScrapeTarget {
        requireText(model, "model");
        requireText(partitionId, "partition");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(gpuId, "gpuId");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(computePartitionMode, "computePartitionMode");
        Objects.requireNonNull(memoryPartitionMode, "memoryPartitionMode");
        if (vramLimitBytes < 0) {
            throw new IllegalArgumentException("VRAM limit must not be negative, was " + vramLimitBytes);
        }
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
