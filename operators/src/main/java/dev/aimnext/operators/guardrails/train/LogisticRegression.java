package dev.aimnext.operators.guardrails.train;

import java.util.Random;

/**
 * Weighted, L2-regularised logistic regression trained with mini-batch Adam. Plain Java and a
 * seeded shuffle, so the same data and seed give the same weights bit for bit: no threads, no
 * library whose summation order could change between versions.
 *
 * <p>Features are standardised internally; {@link Model} folds the scaling back into the weights,
 * so the result is an ordinary linear layer over the raw pooled vector.
 */
public final class LogisticRegression {

    /** Training settings. */
    public record Settings(long seed, int epochs, int batchSize, double learningRate, double l2) {
        public Settings {
            if (epochs < 1 || batchSize < 1 || learningRate <= 0 || l2 < 0) {
                throw new IllegalArgumentException("epochs, batch size and learning rate must be positive, l2 >= 0");
            }
        }

        public static Settings defaults(long seed) {
            return new Settings(seed, 40, 256, 0.003, 1e-4);
        }
    }

    /** A trained model: {@code p = sigmoid(w·x + b)} on raw features. */
    public record Model(float[] weights, float bias) {
        public double probability(float[] x) {
            double z = bias;
            for (int d = 0; d < weights.length; d++) {
                z += (double) weights[d] * x[d];
            }
            return sigmoid(z);
        }
    }

    private LogisticRegression() {}

    /**
     * @param x rows of features
     * @param y labels
     * @param sampleWeights a weight per row (class balance, per-file weights)
     */
    public static Model fit(float[][] x, boolean[] y, double[] sampleWeights, Settings settings) {
        int n = x.length;
        if (n == 0 || n != y.length || n != sampleWeights.length) {
            throw new IllegalArgumentException("need the same, non-zero number of rows, labels and weights");
        }
        int dim = x[0].length;
        double[] mean = new double[dim];
        double[] std = new double[dim];
        standardisation(x, mean, std);

        double[] w = new double[dim];
        double b = 0;
        double[] mw = new double[dim];
        double[] vw = new double[dim];
        double mb = 0;
        double vb = 0;
        double beta1 = 0.9;
        double beta2 = 0.999;
        long step = 0;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(settings.seed());
        double[] grad = new double[dim];
        double[] z = new double[dim];
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            SeededShuffle.shuffle(order, random);
            // Cosine decay: the last epochs take small steps, so the result does not depend on
            // where in a noisy mini-batch sequence training stops.
            double lr = settings.learningRate() * 0.5 * (1 + Math.cos(Math.PI * epoch / settings.epochs()));
            for (int from = 0; from < n; from += settings.batchSize()) {
                int to = Math.min(n, from + settings.batchSize());
                java.util.Arrays.fill(grad, 0);
                double gb = 0;
                double weightSum = 0;
                for (int k = from; k < to; k++) {
                    int i = order[k];
                    double s = b;
                    float[] row = x[i];
                    for (int d = 0; d < dim; d++) {
                        z[d] = (row[d] - mean[d]) / std[d];
                        s += w[d] * z[d];
                    }
                    double err = (sigmoid(s) - (y[i] ? 1 : 0)) * sampleWeights[i];
                    for (int d = 0; d < dim; d++) {
                        grad[d] += err * z[d];
                    }
                    gb += err;
                    weightSum += sampleWeights[i];
                }
                step++;
                double c1 = 1 - Math.pow(beta1, step);
                double c2 = 1 - Math.pow(beta2, step);
                for (int d = 0; d < dim; d++) {
                    double g = grad[d] / weightSum + settings.l2() * w[d];
                    mw[d] = beta1 * mw[d] + (1 - beta1) * g;
                    vw[d] = beta2 * vw[d] + (1 - beta2) * g * g;
                    w[d] -= lr * (mw[d] / c1) / (Math.sqrt(vw[d] / c2) + 1e-8);
                }
                double g = gb / weightSum;
                mb = beta1 * mb + (1 - beta1) * g;
                vb = beta2 * vb + (1 - beta2) * g * g;
                b -= lr * (mb / c1) / (Math.sqrt(vb / c2) + 1e-8);
            }
        }
        float[] raw = new float[dim];
        double rawBias = b;
        for (int d = 0; d < dim; d++) {
            raw[d] = (float) (w[d] / std[d]);
            rawBias -= w[d] * mean[d] / std[d];
        }
        return new Model(raw, (float) rawBias);
    }

    /** Weights that give each class half of the total weight, whatever the class sizes. */
    public static double[] balancedWeights(boolean[] y) {
        int positives = 0;
        for (boolean v : y) {
            positives += v ? 1 : 0;
        }
        int negatives = y.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("training data needs both classes; got " + positives
                    + " positive and " + negatives + " negative rows");
        }
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i] ? y.length / (2.0 * positives) : y.length / (2.0 * negatives);
        }
        return out;
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    private static void standardisation(float[][] x, double[] mean, double[] std) {
        int dim = mean.length;
        for (float[] row : x) {
            for (int d = 0; d < dim; d++) {
                mean[d] += row[d];
            }
        }
        for (int d = 0; d < dim; d++) {
            mean[d] /= x.length;
        }
        for (float[] row : x) {
            for (int d = 0; d < dim; d++) {
                double diff = row[d] - mean[d];
                std[d] += diff * diff;
            }
        }
        for (int d = 0; d < dim; d++) {
            std[d] = Math.sqrt(std[d] / x.length);
            if (std[d] < 1e-6) {
                std[d] = 1; // a constant feature carries no information; keep its weight at 0 scale
            }
        }
    }
}
