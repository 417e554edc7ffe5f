package dev.aimnext.operators.guardrails.engine;

import ai.onnxruntime.OrtProvider;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where ONNX Runtime runs a pack: {@code cpu}, {@code cuda} (onnxruntime_gpu), {@code rocm} or
 * {@code migraphx} (an ORT build for ROCm). The plain Maven artifact carries only the CPU provider,
 * so asking for a GPU provider there must fail at start, not silently fall back to the CPU.
 */
public enum ExecutionProvider {
    CPU(OrtProvider.CPU),
    CUDA(OrtProvider.CUDA),
    ROCM(OrtProvider.ROCM),
    MIGRAPHX(OrtProvider.MI_GRAPH_X);

    private final OrtProvider ortProvider;

    ExecutionProvider(OrtProvider ortProvider) {
        this.ortProvider = ortProvider;
    }

    /** The ORT provider behind this name. */
    public OrtProvider ortProvider() {
        return ortProvider;
    }

    /** Configuration name: lower case, as in {@code aim.guardrails.engine.provider}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration name such as {@code cuda}; an unknown name lists the known ones. */
    public static ExecutionProvider parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (ExecutionProvider p : values()) {
            if (p.configName().equals(wanted)) {
                return p;
            }
        }
        throw new ModelPackException("unknown execution provider '" + name + "'; expected one of "
                + Arrays.stream(values()).map(ExecutionProvider::configName).collect(Collectors.joining(", ")));
    }

    /**
     * Fails unless {@code available} (from {@code OrtEnvironment.getAvailableProviders()}) holds
     * this provider; the message says which providers this ORT build has and how to get the others.
     */
    public void requireIn(Set<OrtProvider> available) {
        if (!available.contains(ortProvider)) {
            throw new ModelPackException("execution provider '" + configName()
                    + "' is not in this ONNX Runtime build (available: "
                    + available.stream().map(OrtProvider::getName).sorted().collect(Collectors.joining(", "))
                    + "); cuda needs the onnxruntime_gpu artifact, rocm and migraphx an ORT build for ROCm");
        }
    }
}
