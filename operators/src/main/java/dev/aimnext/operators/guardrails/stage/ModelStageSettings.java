package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.engine.BuiltinPacks;
import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.GuardrailEngineOptions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * How the model-scoring stage runs: Flink async capacity and timeout, the pack cache folder and the
 * engine settings ({@link GuardrailEngineOptions}). Serializable, so it travels with the job graph;
 * the engine settings are carried as their configuration keys and read on the TaskManager.
 *
 * @param capacity requests in flight per subtask before the stage backpressures
 * @param timeout longest wait for a request's scores; past it the guardrails' on_error applies
 * @param cacheDir where built-in packs are written; null for {@link BuiltinPacks#defaultCacheDir()}
 * @param engineConfig the {@code aim.guardrails.engine.*} keys
 */
public record ModelStageSettings(int capacity, Duration timeout, String cacheDir, Map<String, String> engineConfig)
        implements Serializable {

    private static final String ENGINE_PREFIX = "aim.guardrails.engine.";

    public ModelStageSettings {
        if (capacity < 1) {
            throw new IllegalArgumentException("model stage capacity must be >= 1, got " + capacity);
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("model stage timeout must be > 0, got " + timeout);
        }
        engineConfig = Map.copyOf(engineConfig);
    }

    /** 100 requests in flight, a 10 s timeout, the default cache and engine settings. */
    public static ModelStageSettings defaults() {
        return new ModelStageSettings(100, Duration.ofSeconds(10), null, Map.of());
    }

    /** These settings with the {@code aim.guardrails.engine.*} keys of {@code config}. */
    public static ModelStageSettings of(int capacity, Duration timeout, String cacheDir, Configuration config) {
        Map<String, String> engine = new HashMap<>();
        config.toMap().forEach((k, v) -> {
            if (k.startsWith(ENGINE_PREFIX)) {
                engine.put(k, v);
            }
        });
        return new ModelStageSettings(capacity, timeout, cacheDir, engine);
    }

    /** The engine settings; an unknown provider fails here with the known ones. */
    public EngineSettings engineSettings() {
        ReadableConfig config = Configuration.fromMap(engineConfig);
        return GuardrailEngineOptions.settings(config);
    }

    /** The cache folder of built-in packs. */
    public Path packCache() {
        return cacheDir == null ? BuiltinPacks.defaultCacheDir() : Path.of(cacheDir);
    }
}
