package dev.aimnext.operators.guardrails.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Builds ORT session options from {@link EngineSettings}: threads, optimisation level and the
 * provider. Public so the image classifier ({@code engine.image}) opens its sessions the same way.
 */
public final class OrtSessionOptionsFactory {

    private OrtSessionOptionsFactory() {}

    /**
     * A session for the pack's {@code model.onnx} on the configured provider. A provider that this
     * ORT build lacks fails with the list of those it has; a file ORT cannot load fails naming it.
     */
    public static OrtSession openSession(OrtEnvironment env, ModelPack pack, EngineSettings settings) {
        settings.provider().requireIn(OrtEnvironment.getAvailableProviders());
        try (OrtSession.SessionOptions options = create(settings)) {
            return env.createSession(pack.modelFile().toString(), options);
        } catch (OrtException e) {
            throw new ModelPackException(pack.modelFile() + ": cannot load ONNX model: " + e.getMessage(), e);
        }
    }

    /** New session options; the caller closes them once the session is created. */
    public static OrtSession.SessionOptions create(EngineSettings settings) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            switch (settings.provider()) {
                case CPU -> { }
                case CUDA -> {
                    try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(settings.deviceId())) {
                        if (settings.gpuMemLimitBytes() > 0) {
                            cuda.add("gpu_mem_limit", Long.toString(settings.gpuMemLimitBytes()));
                        }
                        options.addCUDA(cuda);
                    }
                }
                // The Java API takes only a device id for ROCm; the memory budget there is the
                // partition's (CPX/NPS), which is how a GPU budget is enforced on AMD.
                case ROCM -> options.addROCM(settings.deviceId());
                case MIGRAPHX -> addMigraphx(options, settings.deviceId());
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /**
     * ORT Java 1.23 has no public MIGraphX hook, only the private generic
     * {@code addExecutionProvider(name, options)} behind {@code addXnnpack} and friends; a ROCm build
     * of ORT registers MIGraphX through that same C entry point. Not verified on AMD hardware here.
     */
    private static void addMigraphx(OrtSession.SessionOptions options, int deviceId) {
        try {
            Method add = OrtSession.SessionOptions.class.getDeclaredMethod("addExecutionProvider", String.class, Map.class);
            add.setAccessible(true);
            add.invoke(options, "MIGraphX", Map.of("device_id", Integer.toString(deviceId)));
        } catch (InvocationTargetException e) {
            throw new ModelPackException("cannot register the migraphx execution provider: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ModelPackException("this ONNX Runtime Java API cannot register migraphx; use rocm: " + e, e);
        }
    }
}
