package dev.aimnext.operators.guardrails.engine;

import java.util.Locale;

/**
 * How an encoder's token states become one vector per window. {@link #MEAN} averages only the
 * tokens the attention mask keeps, because dynamic padding puts a different number of pad tokens
 * behind each text and they must not shift its vector; {@link #CLS} takes the first token.
 */
public enum Pooling {
    MEAN,
    CLS;

    static Pooling parse(String name, String file) {
        for (Pooling p : values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(name)) {
                return p;
            }
        }
        throw new ModelPackException(file + ": unknown pooling '" + name + "'; expected mean or cls");
    }

    /** Pools {@code hidden} [batch][tokens][dim] into [batch][dim] under {@code mask} [batch][tokens]. */
    public float[][] pool(float[][][] hidden, long[][] mask) {
        float[][] out = new float[hidden.length][];
        for (int b = 0; b < hidden.length; b++) {
            int dim = hidden[b][0].length;
            float[] v = new float[dim];
            if (this == CLS) {
                System.arraycopy(hidden[b][0], 0, v, 0, dim);
            } else {
                int kept = 0;
                for (int t = 0; t < hidden[b].length; t++) {
                    if (mask[b][t] == 0) {
                        continue;
                    }
                    kept++;
                    for (int d = 0; d < dim; d++) {
                        v[d] += hidden[b][t][d];
                    }
                }
                for (int d = 0; d < dim; d++) {
                    v[d] /= Math.max(kept, 1);
                }
            }
            out[b] = v;
        }
        return out;
    }
}
