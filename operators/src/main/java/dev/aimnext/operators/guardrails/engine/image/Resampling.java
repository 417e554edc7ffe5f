package dev.aimnext.operators.guardrails.engine.image;

/**
 * The resampling filters of Pillow, which HF image processors use to resize: the {@code resample}
 * value of {@code preprocessor_config.json} is Pillow's filter number. Resizing follows Pillow's
 * separable convolution ({@code ImagingResample}): the filter support widens by the scale factor
 * when shrinking (antialiasing), each output pixel takes normalised weights of the input pixels
 * under it, the horizontal pass runs first, and each pass is rounded and clamped to 0..255 as
 * Pillow's 8-bit passes are. Results match Pillow to within one 8-bit step (Pillow uses fixed-point
 * weights).
 */
public enum Resampling {
    NEAREST(0, 0.0),
    LANCZOS(1, 3.0),
    BILINEAR(2, 1.0),
    BICUBIC(3, 2.0),
    BOX(4, 0.5),
    HAMMING(5, 1.0);

    private final int pillowId;
    private final double support;

    Resampling(int pillowId, double support) {
        this.pillowId = pillowId;
        this.support = support;
    }

    /** The filter for Pillow's number; null when there is none. */
    public static Resampling fromPillow(int id) {
        for (Resampling r : values()) {
            if (r.pillowId == id) {
                return r;
            }
        }
        return null;
    }

    /** The filter's weight at distance {@code x}, in input pixels at scale 1. */
    double weight(double x) {
        double a = Math.abs(x);
        return switch (this) {
            case NEAREST -> 0;
            case BOX -> (x >= -0.5 && x < 0.5) ? 1.0 : 0.0;
            case BILINEAR -> a < 1.0 ? 1.0 - a : 0.0;
            case HAMMING -> a == 0 ? 1.0 : a >= 1.0 ? 0.0 : Math.sin(Math.PI * a) / (Math.PI * a) * (0.54 + 0.46 * Math.cos(Math.PI * a));
            case BICUBIC -> {
                double c = -0.5;
                if (a < 1.0) {
                    yield ((c + 2.0) * a - (c + 3.0)) * a * a + 1;
                }
                if (a < 2.0) {
                    yield (((a - 5) * a + 8) * a - 4) * c;
                }
                yield 0.0;
            }
            case LANCZOS -> a < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
        };
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /**
     * Resizes one channel plane {@code in} of {@code inW × inH} (row-major, values 0..255) to
     * {@code outW × outH}.
     */
    public float[] resize(float[] in, int inW, int inH, int outW, int outH) {
        if (this == NEAREST) {
            return nearest(in, inW, inH, outW, outH);
        }
        float[] horizontal = inW == outW ? in : pass(in, inW, inH, outW, true);
        return inH == outH ? horizontal : pass(horizontal, outW, inH, outH, false);
    }

    /** One separable pass along x ({@code alongX}) or y; {@code w × h} is the input plane. */
    private float[] pass(float[] in, int w, int h, int outSize, boolean alongX) {
        int inSize = alongX ? w : h;
        Kernel k = kernel(inSize, outSize);
        float[] out = alongX ? new float[outSize * h] : new float[w * outSize];
        if (alongX) {
            for (int y = 0; y < h; y++) {
                int row = y * w;
                for (int xx = 0; xx < outSize; xx++) {
                    double acc = 0;
                    for (int i = 0; i < k.count[xx]; i++) {
                        acc += k.weights[xx][i] * in[row + k.start[xx] + i];
                    }
                    out[y * outSize + xx] = clamp8(acc);
                }
            }
        } else {
            for (int yy = 0; yy < outSize; yy++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int i = 0; i < k.count[yy]; i++) {
                        acc += k.weights[yy][i] * in[(k.start[yy] + i) * w + x];
                    }
                    out[yy * w + x] = clamp8(acc);
                }
            }
        }
        return out;
    }

    private record Kernel(int[] start, int[] count, double[][] weights) {}

    /** Pillow's precompute_coeffs, in doubles. */
    private Kernel kernel(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double span = support * filterScale;
        int[] start = new int[outSize];
        int[] count = new int[outSize];
        double[][] weights = new double[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            // (int) truncates toward zero, as Pillow's C cast does.
            int xmin = Math.max((int) (center - span + 0.5), 0);
            int xmax = Math.min((int) (center + span + 0.5), inSize) - xmin;
            double[] w = new double[Math.max(xmax, 0)];
            double sum = 0;
            for (int x = 0; x < w.length; x++) {
                w[x] = weight((x + xmin - center + 0.5) / filterScale);
                sum += w[x];
            }
            if (sum != 0) {
                for (int x = 0; x < w.length; x++) {
                    w[x] /= sum;
                }
            }
            start[xx] = xmin;
            count[xx] = w.length;
            weights[xx] = w;
        }
        return new Kernel(start, count, weights);
    }

    /** Pillow's NEAREST resize samples the source pixel under each output pixel's centre. */
    private static float[] nearest(float[] in, int inW, int inH, int outW, int outH) {
        float[] out = new float[outW * outH];
        for (int y = 0; y < outH; y++) {
            int sy = Math.min((int) ((y + 0.5) * inH / outH), inH - 1);
            for (int x = 0; x < outW; x++) {
                int sx = Math.min((int) ((x + 0.5) * inW / outW), inW - 1);
                out[y * outW + x] = in[sy * inW + sx];
            }
        }
        return out;
    }

    private static float clamp8(double v) {
        return (float) Math.max(0, Math.min(255, Math.round(v)));
    }
}
