package dev.aimnext.operators.guardrails.engine;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;

/** Flink settings of the guardrail inference engine; {@link #settings} turns them into {@link EngineSettings}. */
public final class GuardrailEngineOptions {

    private GuardrailEngineOptions() {}

    private static final EngineSettings D = EngineSettings.defaults();

    public static final ConfigOption<String> PROVIDER = ConfigOptions.key("aim.guardrails.engine.provider")
            .stringType().defaultValue(D.provider().configName())
            .withDescription("ONNX Runtime execution provider: cpu, cuda, rocm or migraphx. One the ORT build lacks fails at start.");

    public static final ConfigOption<Integer> DEVICE_ID = ConfigOptions.key("aim.guardrails.engine.device-id")
            .intType().defaultValue(D.deviceId())
            .withDescription("GPU ordinal for the cuda, rocm and migraphx providers.");

    public static final ConfigOption<Integer> INTRA_OP_THREADS = ConfigOptions.key("aim.guardrails.engine.intra-op-threads")
            .intType().defaultValue(D.intraOpThreads())
            .withDescription("ONNX Runtime intra-op threads per engine; 0 lets ORT choose.");

    public static final ConfigOption<MemorySize> GPU_MEM_LIMIT = ConfigOptions.key("aim.guardrails.engine.gpu-mem-limit")
            .memoryType().defaultValue(MemorySize.ZERO)
            .withDescription("GPU memory budget of the engine (ORT gpu_mem_limit, cuda only); 0 means no limit.");

    public static final ConfigOption<Integer> MAX_BATCH_SIZE = ConfigOptions.key("aim.guardrails.engine.max-batch-size")
            .intType().defaultValue(D.maxBatchSize())
            .withDescription("Largest micro-batch, in model windows; a full batch is run at once.");

    public static final ConfigOption<Duration> LINGER = ConfigOptions.key("aim.guardrails.engine.linger")
            .durationType().defaultValue(D.linger())
            .withDescription("How long a partly filled micro-batch waits for more requests before it runs.");

    public static final ConfigOption<Integer> STRIDE = ConfigOptions.key("aim.guardrails.engine.stride")
            .intType().defaultValue(D.stride())
            .withDescription("Tokens shared by consecutive windows of a text longer than the model window; 0 takes the pack's stride.");

    /** Reads the engine settings; an unknown provider name fails here with the list of known ones. */
    public static EngineSettings settings(ReadableConfig config) {
        return new EngineSettings(
                ExecutionProvider.parse(config.get(PROVIDER)),
                config.get(DEVICE_ID),
                config.get(INTRA_OP_THREADS),
                config.get(GPU_MEM_LIMIT).getBytes(),
                config.get(MAX_BATCH_SIZE),
                config.get(LINGER),
                config.get(STRIDE));
    }
}
