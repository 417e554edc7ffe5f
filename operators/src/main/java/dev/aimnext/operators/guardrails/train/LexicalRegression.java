package dev.aimnext.operators.guardrails.train;

import dev.aimnext.operators.guardrails.engine.LexicalModel;

import java.util.List;

/**
 * Fits the word-level half of a head ({@link LexicalModel}): weighted, L2-regularised logistic
 * regression over hashed word n-grams, with full-batch Adam. Full batches need no shuffling, so the
 * result depends only on the data and the settings, and one pass over the sparse rows is cheap
 * (tens of features per text).
 */
public final class LexicalRegression {

    /** Training settings; {@code bits} 0 turns the word model off. */
    public record Settings(int bits, int iterations, double learningRate, double l2) {
        public static Settings defaults() {
            return new Settings(17, 150, 0.05, 1e-5);
        }
    }

    private LexicalRegression() {}

    /** Weights and bias; the caller chooses the mix. */
    public static LexicalModel fit(List<String> texts, boolean[] y, double[] sampleWeights, Settings settings, double mix) {
        int dim = 1 << settings.bits();
        int n = texts.size();
        int[][] rows = new int[n][];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            rows[i] = LexicalModel.features(texts.get(i), settings.bits());
            values[i] = LexicalModel.featureValue(rows[i]);
        }
        double weightSum = 0;
        for (double w : sampleWeights) {
            weightSum += w;
        }
        double[] w = new double[dim];
        double[] m = new double[dim];
        double[] v = new double[dim];
        double[] g = new double[dim];
        double b = 0;
        double mb = 0;
        double vb = 0;
        for (int it = 1; it <= settings.iterations(); it++) {
            java.util.Arrays.fill(g, 0);
            double gb = 0;
            for (int i = 0; i < n; i++) {
                double z = b;
                for (int k : rows[i]) {
                    z += w[k] * values[i];
                }
                double err = (LogisticRegression.sigmoid(z) - (y[i] ? 1 : 0)) * sampleWeights[i];
                for (int k : rows[i]) {
                    g[k] += err * values[i];
                }
                gb += err;
            }
            double c1 = 1 - Math.pow(0.9, it);
            double c2 = 1 - Math.pow(0.999, it);
            for (int k = 0; k < dim; k++) {
                double gk = g[k] / weightSum + settings.l2() * w[k];
                m[k] = 0.9 * m[k] + 0.1 * gk;
                v[k] = 0.999 * v[k] + 0.001 * gk * gk;
                w[k] -= settings.learningRate() * (m[k] / c1) / (Math.sqrt(v[k] / c2) + 1e-8);
            }
            double gbn = gb / weightSum;
            mb = 0.9 * mb + 0.1 * gbn;
            vb = 0.999 * vb + 0.001 * gbn * gbn;
            b -= settings.learningRate() * (mb / c1) / (Math.sqrt(vb / c2) + 1e-8);
        }
        float[] weights = new float[dim];
        for (int k = 0; k < dim; k++) {
            weights[k] = (float) w[k];
        }
        return new LexicalModel(settings.bits(), mix, (float) b, weights);
    }
}
