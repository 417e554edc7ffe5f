package dev.aimnext.operators.guardrails.engine.image;

import dev.aimnext.operators.guardrails.engine.image.ImageRejectedException.Reason;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Decodes PNG, JPEG, BMP and GIF bytes with {@code javax.imageio}. The pixel count is read from
 * the header and checked before the bitmap is allocated (a few KB of PNG can declare gigapixels).
 * A GIF gives its first frame. Streams stay in memory: no ImageIO cache files on disk.
 */
final class ImageDecoder {

    /** ImageIO format names of the accepted formats (the JDK also reads TIFF and WBMP; they are not offered). */
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");

    private ImageDecoder() {}

    static BufferedImage decode(byte[] bytes, long maxPixels) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT,
                        "image bytes are not a PNG, JPEG, BMP or GIF image (" + bytes.length + " bytes)");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!FORMATS.contains(format)) {
                    throw new ImageRejectedException(Reason.UNSUPPORTED_FORMAT,
                            "image format " + format + " is not accepted; send PNG, JPEG, BMP or GIF");
                }
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new ImageRejectedException(Reason.TOO_MANY_PIXELS, "image is " + width + "x" + height
                            + " = " + width * height + " pixels, more than the limit of " + maxPixels);
                }
                BufferedImage image = reader.read(0);
                if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
                    throw new ImageRejectedException(Reason.UNDECODABLE, "the " + format + " image has no pixels");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (ImageRejectedException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Corrupt streams surface as IIOException, but also as IndexOutOfBounds or
            // IllegalArgumentException from deep inside the decoders.
            throw new ImageRejectedException(Reason.UNDECODABLE, "cannot decode image: " + e.getMessage(), e);
        }
    }
}
