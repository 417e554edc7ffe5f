package dev.aimnext.operators.qos.window;

/**
 * One name for a GPU partition across both telemetry streams, so QoS windows can be joined with GPU
 * samples. Request telemetry usually names the partition in full ({@code gpu0/cpx3}); the GPU
 * collector reports the GPU ({@code 0000:03:00.0}) and the partition index ({@code 3}) apart. A
 * partition id that already contains {@code /}, or comes without a GPU id, is taken as it is;
 * otherwise the address is {@code gpuId/partitionId}.
 */
public final class PartitionAddress {

    private PartitionAddress() {}

    public static String of(String gpuId, String partitionId) {
        if (gpuId == null || gpuId.isEmpty() || partitionId.indexOf('/') >= 0) {
            return partitionId;
        }
        return gpuId + "/" + partitionId;
    }
}
