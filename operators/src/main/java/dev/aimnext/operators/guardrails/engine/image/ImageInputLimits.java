package dev.aimnext.operators.guardrails.engine.image;

import java.nio.file.Path;

/**
 * What an {@link ImageSource} accepts.
 *
 * @param allowedRoot the only directory file references may point into (symbolic links are
 *     resolved first); null disables file references altogether
 * @param maxBytes largest encoded image, in bytes (after base64 decoding)
 * @param maxPixels largest width × height, checked from the image header before decoding, so a
 *     small file that expands to a huge bitmap is refused without allocating it
 */
public record ImageInputLimits(Path allowedRoot, long maxBytes, long maxPixels) {

    /** 10 MiB. */
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    /** 4096 × 4096. */
    public static final long DEFAULT_MAX_PIXELS = 4096L * 4096;

    public ImageInputLimits {
        if (maxBytes < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("image max bytes and max pixels must be >= 1, got "
                    + maxBytes + " and " + maxPixels);
        }
    }

    /** No file references, 10 MiB, 4096 × 4096 pixels. */
    public static ImageInputLimits defaults() {
        return new ImageInputLimits(null, DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS);
    }

    /** Same limits, with file references allowed under {@code root}. */
    public ImageInputLimits withAllowedRoot(Path root) {
        return new ImageInputLimits(root, maxBytes, maxPixels);
    }
}
