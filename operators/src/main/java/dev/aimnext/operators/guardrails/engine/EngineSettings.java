package dev.aimnext.operators.guardrails.engine;

import java.time.Duration;

/**
 * How an {@link InferenceEngine} runs: execution provider, device, threads, GPU memory budget and
 * the micro-batching limits. Built from Flink configuration by {@link GuardrailEngineOptions#settings}.
 *
 * @param provider execution provider
 * @param deviceId GPU ordinal for GPU providers; ignored on the CPU
 * @param intraOpThreads ORT intra-op threads; 0 lets ORT choose
 * @param gpuMemLimitBytes ORT {@code gpu_mem_limit} (the partition's budget); 0 means no limit
 * @param maxBatchSize largest number of windows in one session run
 * @param linger how long a partly filled batch waits for more requests
 * @param stride tokens shared by consecutive windows of a long text; 0 takes the pack's value
 * @param padToLength 0 (the default): dynamic padding, each batch padded to its longest window;
 *     n &gt; 0: every batch padded to at least n tokens. Only the engine benchmark sets it, to
 *     measure what dynamic padding saves against fixed-length padding; not a Flink option.
 */
public record EngineSettings(
        ExecutionProvider provider,
        int deviceId,
        int intraOpThreads,
        long gpuMemLimitBytes,
        int maxBatchSize,
        Duration linger,
        int stride,
        int padToLength) {

    public EngineSettings {
        if (deviceId < 0 || intraOpThreads < 0 || gpuMemLimitBytes < 0 || stride < 0 || padToLength < 0) {
            throw new IllegalArgumentException("device id, intra-op threads, GPU memory limit, stride and pad-to length must be >= 0");
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
        }
        if (linger == null || linger.isNegative()) {
            throw new IllegalArgumentException("linger must be >= 0, got " + linger);
        }
    }

    /** Settings with dynamic padding. */
    public EngineSettings(ExecutionProvider provider, int deviceId, int intraOpThreads, long gpuMemLimitBytes,
                          int maxBatchSize, Duration linger, int stride) {
        this(provider, deviceId, intraOpThreads, gpuMemLimitBytes, maxBatchSize, linger, stride, 0);
    }

    /** CPU, ORT's thread choice, batches of 32 with a 5 ms linger. */
    public static EngineSettings defaults() {
        return new EngineSettings(ExecutionProvider.CPU, 0, 0, 0L, 32, Duration.ofMillis(5), 0);
    }

    /** Same settings with another provider. */
    public EngineSettings withProvider(ExecutionProvider other) {
        return new EngineSettings(other, deviceId, intraOpThreads, gpuMemLimitBytes, maxBatchSize, linger, stride, padToLength);
    }

    /** Same settings with every batch padded to at least {@code length} tokens (0: dynamic padding). */
    public EngineSettings withPadToLength(int length) {
        return new EngineSettings(provider, deviceId, intraOpThreads, gpuMemLimitBytes, maxBatchSize, linger, stride, length);
    }
}
