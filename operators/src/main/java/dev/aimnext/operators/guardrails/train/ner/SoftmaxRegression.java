package dev.aimnext.operators.guardrails.train.ner;

import dev.aimnext.operators.guardrails.train.SeededShuffle;

import java.util.Arrays;
import java.util.Random;

/**
 * Multinomial logistic (softmax) regression with class weights and L2, trained with mini-batch
 * Adam and a cosine learning-rate decay. Plain Java, one thread, a seeded shuffle and a fixed
 * summation order, so the same rows, labels and settings give the same weights bit for bit.
 *
 * <p>Rows are read through {@link Rows#fill} on every pass instead of being held as a matrix: a
 * token's features concatenate several encoder states, and materialising them for every token
 * would take gigabytes. Features are standardised internally; {@link Model} folds the scaling back
 * in, so the result is a plain linear layer over the raw features.
 */
public final class SoftmaxRegression {

    /**
     * @param classWeightPower class c weighs {@code (N / (classes * n_c))^power}: 0 is unweighted, 1
     *     fully balanced; weights are then scaled to average 1 over the rows
     */
    public record Settings(long seed, int epochs, int batchSize, double learningRate, double l2, double classWeightPower) {
        public Settings {
            if (epochs < 1 || batchSize < 1 || learningRate <= 0 || l2 < 0 || classWeightPower < 0) {
                throw new IllegalArgumentException("epochs, batch size and learning rate must be positive; l2 and the "
                        + "class-weight power >= 0");
            }
        }
    }

    /** Training rows, read on demand. */
    public interface Rows {
        int size();

        int dimension();

        /** Writes row {@code row}'s features into {@code out} (length {@link #dimension}). */
        void fill(int row, float[] out);
    }

    /** {@code softmax(W x + b)} over raw features: [classes][dimension] and [classes]. */
    public record Model(float[][] weights, float[] bias) {}

    private SoftmaxRegression() {}

    public static Model fit(Rows rows, int[] labels, int classes, Settings s) {
        int n = rows.size();
        int dim = rows.dimension();
        if (n == 0 || labels.length != n || classes < 2) {
            throw new IllegalArgumentException("need rows, one label per row and at least two classes");
        }
        double[] mean = new double[dim];
        double[] std = new double[dim];
        standardisation(rows, mean, std);
        double[] sampleWeight = sampleWeights(labels, classes, s.classWeightPower());

        double[][] w = new double[classes][dim];
        double[] b = new double[classes];
        double[][] mw = new double[classes][dim];
        double[][] vw = new double[classes][dim];
        double[] mb = new double[classes];
        double[] vb = new double[classes];
        double[][] gw = new double[classes][dim];
        double[] gb = new double[classes];
        float[] raw = new float[dim];
        double[] x = new double[dim];
        double[] z = new double[classes];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(s.seed());
        long step = 0;
        for (int epoch = 0; epoch < s.epochs(); epoch++) {
            SeededShuffle.shuffle(order, random);
            // Cosine decay: the last epochs take small steps, so the weights settle instead of
            // depending on where a noisy mini-batch sequence happens to stop.
            double lr = s.learningRate() * 0.5 * (1 + Math.cos(Math.PI * epoch / s.epochs()));
            for (int from = 0; from < n; from += s.batchSize()) {
                int to = Math.min(n, from + s.batchSize());
                for (double[] row : gw) {
                    Arrays.fill(row, 0);
                }
                Arrays.fill(gb, 0);
                for (int i = from; i < to; i++) {
                    int r = order[i];
                    rows.fill(r, raw);
                    for (int d = 0; d < dim; d++) {
                        x[d] = (raw[d] - mean[d]) / std[d];
                    }
                    softmax(w, b, x, z);
                    for (int k = 0; k < classes; k++) {
                        double g = (z[k] - (labels[r] == k ? 1 : 0)) * sampleWeight[r];
                        if (g == 0) {
                            continue;
                        }
                        double[] gk = gw[k];
                        for (int d = 0; d < dim; d++) {
                            gk[d] += g * x[d];
                        }
                        gb[k] += g;
                    }
                }
                int size = to - from;
                step++;
                double c1 = 1 - Math.pow(0.9, step);
                double c2 = 1 - Math.pow(0.999, step);
                for (int k = 0; k < classes; k++) {
                    for (int d = 0; d < dim; d++) {
                        double g = gw[k][d] / size + s.l2() * w[k][d];
                        mw[k][d] = 0.9 * mw[k][d] + 0.1 * g;
                        vw[k][d] = 0.999 * vw[k][d] + 0.001 * g * g;
                        w[k][d] -= lr * (mw[k][d] / c1) / (Math.sqrt(vw[k][d] / c2) + 1e-8);
                    }
                    double g = gb[k] / size;
                    mb[k] = 0.9 * mb[k] + 0.1 * g;
                    vb[k] = 0.999 * vb[k] + 0.001 * g * g;
                    b[k] -= lr * (mb[k] / c1) / (Math.sqrt(vb[k] / c2) + 1e-8);
                }
            }
        }
        float[][] weights = new float[classes][dim];
        float[] bias = new float[classes];
        for (int k = 0; k < classes; k++) {
            double shift = b[k];
            for (int d = 0; d < dim; d++) {
                weights[k][d] = (float) (w[k][d] / std[d]);
                shift -= w[k][d] * mean[d] / std[d];
            }
            bias[k] = (float) shift;
        }
        return new Model(weights, bias);
    }

    /** Class-balanced weights, raised to {@code power} and scaled to average 1. */
    static double[] sampleWeights(int[] labels, int classes, double power) {
        long[] counts = new long[classes];
        for (int y : labels) {
            counts[y]++;
        }
        double[] perClass = new double[classes];
        for (int k = 0; k < classes; k++) {
            perClass[k] = counts[k] == 0 ? 0 : Math.pow((double) labels.length / (classes * counts[k]), power);
        }
        double total = 0;
        for (int y : labels) {
            total += perClass[y];
        }
        double scale = labels.length / total;
        double[] out = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = perClass[labels[i]] * scale;
        }
        return out;
    }

    private static void softmax(double[][] w, double[] b, double[] x, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < w.length; k++) {
            double acc = b[k];
            double[] wk = w[k];
            for (int d = 0; d < x.length; d++) {
                acc += wk[d] * x[d];
            }
            out[k] = acc;
            max = Math.max(max, acc);
        }
        double sum = 0;
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.exp(out[k] - max);
            sum += out[k];
        }
        for (int k = 0; k < out.length; k++) {
            out[k] /= sum;
        }
    }

    /** Two passes (mean, then variance) for a stable standard deviation; constant features get 1. */
    private static void standardisation(Rows rows, double[] mean, double[] std) {
        int n = rows.size();
        float[] raw = new float[mean.length];
        for (int r = 0; r < n; r++) {
            rows.fill(r, raw);
            for (int d = 0; d < raw.length; d++) {
                mean[d] += raw[d];
            }
        }
        for (int d = 0; d < mean.length; d++) {
            mean[d] /= n;
        }
        for (int r = 0; r < n; r++) {
            rows.fill(r, raw);
            for (int d = 0; d < raw.length; d++) {
                double diff = raw[d] - mean[d];
                std[d] += diff * diff;
            }
        }
        for (int d = 0; d < std.length; d++) {
            std[d] = Math.sqrt(std[d] / n);
            if (std[d] < 1e-6) {
                std[d] = 1;
            }
        }
    }
}
