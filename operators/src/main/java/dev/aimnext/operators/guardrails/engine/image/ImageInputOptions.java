package dev.aimnext.operators.guardrails.engine.image;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

import java.nio.file.Path;

/** Flink settings of image inputs; {@link #limits} turns them into {@link ImageInputLimits}. */
public final class ImageInputOptions {

    private ImageInputOptions() {}

    public static final ConfigOption<String> ALLOWED_ROOT = ConfigOptions.key("aim.guardrails.image.allowed-root")
            .stringType().noDefaultValue()
            .withDescription("Directory that file:// and path image references may point into (symbolic links are"
                    + " resolved first). Unset: file references are rejected. Images are never fetched over the network.");

    public static final ConfigOption<MemorySize> MAX_BYTES = ConfigOptions.key("aim.guardrails.image.max-bytes")
            .memoryType().defaultValue(new MemorySize(ImageInputLimits.DEFAULT_MAX_BYTES))
            .withDescription("Largest encoded image (after base64 decoding); larger ones are rejected.");

    public static final ConfigOption<Long> MAX_PIXELS = ConfigOptions.key("aim.guardrails.image.max-pixels")
            .longType().defaultValue(ImageInputLimits.DEFAULT_MAX_PIXELS)
            .withDescription("Largest width x height, read from the image header before decoding; larger ones are rejected.");

    /** Reads the image input limits. */
    public static ImageInputLimits limits(ReadableConfig config) {
        Path root = config.getOptional(ALLOWED_ROOT).filter(s -> !s.isBlank()).map(Path::of).orElse(null);
        return new ImageInputLimits(root, config.get(MAX_BYTES).getBytes(), config.get(MAX_PIXELS));
    }
}
