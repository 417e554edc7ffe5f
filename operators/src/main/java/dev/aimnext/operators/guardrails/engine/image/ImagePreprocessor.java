package dev.aimnext.operators.guardrails.engine.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimnext.operators.guardrails.engine.ModelPackException;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns an image into the {@code pixel_values} a HuggingFace image classifier expects, following
 * the pack's {@code preprocessor_config.json} as HF's ViT / ConvNext / DeiT / BEiT image processors
 * do: convert to RGB (alpha dropped, grey replicated), resize ({@code size} as
 * {@code {height, width}}, or {@code {shortest_edge}} keeping the aspect ratio, with ConvNext's
 * {@code crop_pct} rule), centre-crop to {@code crop_size} (zero padding where the image is
 * smaller), multiply by {@code rescale_factor}, then {@code (x - image_mean) / image_std} per
 * channel. Output is channels-first, {@code [3][height][width]} flattened.
 *
 * <p>Every image leaves with the same {@link #height} × {@link #width}, so images batch into one
 * tensor; a config whose output size would depend on the input (shortest-edge resizing or no
 * resizing, without a centre crop) is refused at load. Immutable and thread-safe.
 */
public final class ImagePreprocessor {

    /** The HF file name inside a pack. */
    public static final String FILE = "preprocessor_config.json";

    /** ConvNext warps to a square from this size up, and resizes then crops below it (HF's rule). */
    private static final int CONVNEXT_CROP_BELOW = 384;

    /** Pillow's BILINEAR, the default of HF's ViT and ConvNext processors. */
    private static final int DEFAULT_PILLOW_RESAMPLE = 2;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final boolean doResize;
    private final int sizeHeight;
    private final int sizeWidth;
    private final int shortestEdge;
    private final int longestEdge;
    private final double convNextCropPct;
    private final boolean convNextCrop;
    private final Resampling resample;
    private final boolean doCenterCrop;
    private final int cropHeight;
    private final int cropWidth;
    private final double rescaleFactor;
    private final float[] mean;
    private final float[] std;
    private final int outHeight;
    private final int outWidth;

    private ImagePreprocessor(Builder b) {
        this.doResize = b.doResize;
        this.sizeHeight = b.sizeHeight;
        this.sizeWidth = b.sizeWidth;
        this.shortestEdge = b.shortestEdge;
        this.longestEdge = b.longestEdge;
        this.convNextCropPct = b.convNextCropPct;
        this.resample = b.resample;
        this.doCenterCrop = b.doCenterCrop;
        this.cropHeight = b.cropHeight;
        this.cropWidth = b.cropWidth;
        this.rescaleFactor = b.rescaleFactor;
        this.mean = b.mean;
        this.std = b.std;
        this.convNextCrop = convNextCropPct > 0 && shortestEdge < CONVNEXT_CROP_BELOW;
        if (doCenterCrop) {
            outHeight = cropHeight;
            outWidth = cropWidth;
        } else if (doResize && shortestEdge == 0) {
            outHeight = sizeHeight;
            outWidth = sizeWidth;
        } else if (convNextCropPct > 0) {
            // ConvNext: a square warp from 384 up, a resize then a square crop below.
            outHeight = shortestEdge;
            outWidth = shortestEdge;
        } else {
            throw new ModelPackException(b.where + ": the output size would depend on each image (no resize to"
                    + " height/width and no center crop); a batch needs one size");
        }
    }

    /** Reads {@code preprocessor_config.json}; a missing or inconsistent field fails with the file's name. */
    public static ImagePreprocessor load(Path file) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ModelPackException(file + ": cannot read image preprocessor config: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelPackException(file + ": not a JSON object");
        }
        return parse(root, file.toString());
    }

    /** Parses a config already read; {@code where} names it in errors. */
    public static ImagePreprocessor parse(JsonNode c, String where) {
        Builder b = new Builder(where);
        JsonNode size = c.path("size");
        boolean hasSize = !size.isMissingNode() && !size.isNull();
        b.doCenterCrop = c.path("do_center_crop").asBoolean(false);
        b.doResize = c.path("do_resize").asBoolean(hasSize);
        if (b.doResize) {
            if (size.isInt()) {
                // Older feature extractors give one number: the square side for ViT-style
                // processors, the shortest edge for those that centre-crop afterwards (CLIP, BEiT).
                if (b.doCenterCrop) {
                    b.shortestEdge = positive(size, where, "size");
                } else {
                    b.sizeHeight = b.sizeWidth = positive(size, where, "size");
                }
            } else if (size.has("height") || size.has("width")) {
                b.sizeHeight = positive(size.path("height"), where, "size.height");
                b.sizeWidth = positive(size.path("width"), where, "size.width");
            } else if (size.has("shortest_edge")) {
                b.shortestEdge = positive(size.path("shortest_edge"), where, "size.shortest_edge");
                if (size.hasNonNull("longest_edge")) {
                    b.longestEdge = positive(size.path("longest_edge"), where, "size.longest_edge");
                }
            } else {
                throw new ModelPackException(where + ": size must be {\"height\", \"width\"}, {\"shortest_edge\"} or a number, got " + size);
            }
        }
        JsonNode cropPct = c.path("crop_pct");
        if (cropPct.isNumber()) {
            String type = c.path("image_processor_type").asText(c.path("feature_extractor_type").asText(""));
            if (!type.toLowerCase(Locale.ROOT).startsWith("convnext")) {
                throw new ModelPackException(where + ": crop_pct is understood only for ConvNext image processors, not '" + type + "'");
            }
            if (b.doResize && b.shortestEdge > 0) {
                b.convNextCropPct = cropPct.asDouble();
                if (b.convNextCropPct <= 0 || b.convNextCropPct > 1) {
                    throw new ModelPackException(where + ": crop_pct must be in (0, 1], got " + cropPct);
                }
            }
        }
        int pillow = c.path("resample").asInt(DEFAULT_PILLOW_RESAMPLE);
        b.resample = Resampling.fromPillow(pillow);
        if (b.resample == null) {
            throw new ModelPackException(where + ": resample " + pillow + " is not a Pillow filter (0 nearest, 1 lanczos,"
                    + " 2 bilinear, 3 bicubic, 4 box, 5 hamming)");
        }
        if (b.doCenterCrop) {
            JsonNode crop = c.path("crop_size");
            if (crop.isInt()) {
                b.cropHeight = b.cropWidth = positive(crop, where, "crop_size");
            } else if (crop.has("height") || crop.has("width")) {
                b.cropHeight = positive(crop.path("height"), where, "crop_size.height");
                b.cropWidth = positive(crop.path("width"), where, "crop_size.width");
            } else {
                throw new ModelPackException(where + ": do_center_crop needs crop_size as {\"height\", \"width\"} or a number");
            }
        }
        b.rescaleFactor = c.path("do_rescale").asBoolean(true) ? c.path("rescale_factor").asDouble(1.0 / 255) : 1.0;
        boolean doNormalize = c.path("do_normalize").asBoolean(c.has("image_mean"));
        b.mean = new float[] {0, 0, 0};
        b.std = new float[] {1, 1, 1};
        if (doNormalize) {
            b.mean = perChannel(c.path("image_mean"), where, "image_mean");
            b.std = perChannel(c.path("image_std"), where, "image_std");
            for (float s : b.std) {
                if (s == 0) {
                    throw new ModelPackException(where + ": image_std must not contain 0");
                }
            }
        }
        return new ImagePreprocessor(b);
    }

    /** Output height in pixels. */
    public int height() {
        return outHeight;
    }

    /** Output width in pixels. */
    public int width() {
        return outWidth;
    }

    /** Floats per image: 3 × height × width. */
    public int floatsPerImage() {
        return 3 * outHeight * outWidth;
    }

    /** {@code pixel_values} of one image, [3][height][width] flattened. */
    public float[] pixels(BufferedImage image) {
        float[] out = new float[floatsPerImage()];
        pixels(image, out, 0);
        return out;
    }

    /** Writes the {@code pixel_values} of one image into {@code out} from {@code offset}. */
    public void pixels(BufferedImage image, float[] out, int offset) {
        int h = image.getHeight();
        int w = image.getWidth();
        float[][] planes = rgbPlanes(image);
        if (doResize) {
            int[] target = resizeTarget(h, w);
            if (target[0] != h || target[1] != w) {
                for (int ch = 0; ch < 3; ch++) {
                    planes[ch] = resample.resize(planes[ch], w, h, target[1], target[0]);
                }
                h = target[0];
                w = target[1];
            }
        }
        if (doCenterCrop || convNextCrop) {
            for (int ch = 0; ch < 3; ch++) {
                planes[ch] = centerCrop(planes[ch], h, w, outHeight, outWidth);
            }
            h = outHeight;
            w = outWidth;
        }
        int plane = h * w;
        for (int ch = 0; ch < 3; ch++) {
            float m = mean[ch];
            float s = std[ch];
            float[] p = planes[ch];
            int base = offset + ch * plane;
            for (int i = 0; i < plane; i++) {
                out[base + i] = ((float) (p[i] * rescaleFactor) - m) / s;
            }
        }
    }

    /** Height and width after resizing an image of {@code h × w}, as HF computes them. */
    int[] resizeTarget(int h, int w) {
        if (shortestEdge == 0) {
            return new int[] {sizeHeight, sizeWidth};
        }
        if (convNextCropPct > 0) {
            if (shortestEdge >= CONVNEXT_CROP_BELOW) {
                return new int[] {shortestEdge, shortestEdge};
            }
            return keepAspect(h, w, (int) (shortestEdge / convNextCropPct), 0);
        }
        return keepAspect(h, w, shortestEdge, longestEdge);
    }

    /** HF's get_resize_output_image_size with default_to_square=False (and max_size). */
    private static int[] keepAspect(int h, int w, int shortSide, int maxLong) {
        int shorter = Math.min(h, w);
        int longer = Math.max(h, w);
        int newShort = shortSide;
        int newLong = (int) ((double) shortSide * longer / shorter);
        if (maxLong > 0 && newLong > maxLong) {
            newShort = (int) ((double) maxLong * newShort / newLong);
            newLong = maxLong;
        }
        return w <= h ? new int[] {newLong, newShort} : new int[] {newShort, newLong};
    }

    /** HF's center_crop: the middle {@code ch × cw} of {@code p}, zero-padded where the image is smaller. */
    static float[] centerCrop(float[] p, int h, int w, int ch, int cw) {
        // HF pads ceil(excess / 2) before and crops from floor((h - ch) / 2) + that pad, which
        // reduces to one floor division per axis, negative when the crop is the larger.
        int top = Math.floorDiv(h - ch, 2);
        int left = Math.floorDiv(w - cw, 2);
        float[] out = new float[ch * cw];
        for (int y = 0; y < ch; y++) {
            int sy = top + y;
            if (sy < 0 || sy >= h) {
                continue;
            }
            for (int x = 0; x < cw; x++) {
                int sx = left + x;
                if (sx >= 0 && sx < w) {
                    out[y * cw + x] = p[sy * w + sx];
                }
            }
        }
        return out;
    }

    /**
     * The image as three planes of 0..255 values, as Pillow's {@code convert("RGB")} gives them:
     * alpha is dropped (not composited), grey is copied into all three channels. Grey rasters
     * are read as stored: Java's {@code getRGB} treats them as linear grey and would brighten them.
     */
    static float[][] rgbPlanes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[][] planes = new float[3][w * h];
        ColorModel cm = image.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(cm instanceof IndexColorModel)) {
            Raster raster = image.getRaster();
            double scale = 255.0 / ((1L << cm.getComponentSize(0)) - 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = Math.round(raster.getSample(x, y, 0) * scale);
                    int i = y * w + x;
                    planes[0][i] = v;
                    planes[1][i] = v;
                    planes[2][i] = v;
                }
            }
            return planes;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            planes[0][i] = (p >> 16) & 0xFF;
            planes[1][i] = (p >> 8) & 0xFF;
            planes[2][i] = p & 0xFF;
        }
        return planes;
    }

    private static int positive(JsonNode n, String where, String field) {
        if (!n.canConvertToInt() || n.asInt() < 1) {
            throw new ModelPackException(where + ": " + field + " must be a positive integer, got " + n);
        }
        return n.asInt();
    }

    private static float[] perChannel(JsonNode n, String where, String field) {
        if (n.isNumber()) {
            float v = (float) n.asDouble();
            return new float[] {v, v, v};
        }
        if (!n.isArray() || n.size() != 3) {
            throw new ModelPackException(where + ": " + field + " must hold 3 numbers (R, G, B), got " + n);
        }
        return new float[] {(float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()};
    }

    private static final class Builder {
        final String where;
        boolean doResize;
        int sizeHeight;
        int sizeWidth;
        int shortestEdge;
        int longestEdge;
        double convNextCropPct;
        Resampling resample;
        boolean doCenterCrop;
        int cropHeight;
        int cropWidth;
        double rescaleFactor;
        float[] mean;
        float[] std;

        Builder(String where) {
            this.where = where;
        }
    }
}
