package dev.aimnext.operators.guardrails.train;

import dev.aimnext.operators.guardrails.engine.LexicalModel;
import dev.aimnext.operators.guardrails.eval.BinaryMetrics;
import dev.aimnext.operators.guardrails.eval.RocAuc;
import dev.aimnext.operators.guardrails.eval.ThresholdChoice;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains one guardrail head: read the task's files, carve a validation split from them, fit a
 * class-balanced logistic regression on frozen encoder vectors and one on hashed word n-grams,
 * then choose on the validation split how to mix the two and where to put the threshold.
 * Evaluation files are never read here; the caller points it at the training folder only.
 */
public final class HeadTrainer {

    /** Word-model shares tried on the validation split; the best AUC wins. */
    private static final double[] MIXES = {0.25, 0.5, 0.75};

    /**
     * @param seed drives the validation split, the per-file sampling and the optimiser's shuffles
     * @param validationFraction share of each file held out for the mix and the threshold
     * @param maxRowsPerFile larger files are sampled down to this many rows (seeded), so one big
     *     source (24,783 tweets) does not decide what "toxic" means
     * @param maxFalsePositiveRate the threshold's bound on validation negatives
     * @param lexical the word model's settings; bits 0 trains the encoder half only
     */
    public record Settings(long seed, double validationFraction, int maxRowsPerFile, double maxFalsePositiveRate,
                           LogisticRegression.Settings optimiser, LexicalRegression.Settings lexical) {

        public static Settings defaults(long seed) {
            return new Settings(seed, 0.15, 6000, 0.05, LogisticRegression.Settings.defaults(seed),
                    LexicalRegression.Settings.defaults());
        }
    }

    /** What a run produced: both halves, the threshold and the validation figures behind it. */
    public record Result(GuardrailTask task, LogisticRegression.Model model, LexicalModel lexical, BinaryMetrics validation,
                         double validationAuc, int trainRows, int validationRows, List<String> files) {}

    /** Rows of one side of the split. */
    private static final class Split {
        final List<float[]> vectors = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        final List<Boolean> labels = new ArrayList<>();

        void add(float[] vector, LabeledText row) {
            vectors.add(vector);
            texts.add(row.text());
            labels.add(row.positive());
        }

        boolean[] y() {
            boolean[] out = new boolean[labels.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = labels.get(i);
            }
            return out;
        }
    }

    private final EmbeddingCache cache;
    private final PrintStream progress;

    public HeadTrainer(EmbeddingCache cache, PrintStream progress) {
        this.cache = cache;
        this.progress = progress;
    }

    public Result train(Path dataDir, GuardrailTask task, Settings settings) {
        Split train = new Split();
        Split validation = new Split();
        List<String> files = new ArrayList<>();
        for (Path file : TrainingFiles.of(dataDir, task)) {
            List<LabeledText> rows = TrainingFiles.read(file, task);
            float[][] vectors = cache.vectors(file, rows);
            // One generator per file, seeded from the file name, so adding a file leaves the
            // samples and splits of the others unchanged.
            Random random = new Random(settings.seed() ^ file.getFileName().toString().hashCode());
            double keep = Math.min(1.0, (double) settings.maxRowsPerFile() / rows.size());
            int kept = 0;
            for (int i = 0; i < rows.size(); i++) {
                double u = random.nextDouble();
                double v = random.nextDouble();
                if (u >= keep) {
                    continue;
                }
                kept++;
                (v < settings.validationFraction() ? validation : train).add(vectors[i], rows.get(i));
            }
            files.add(file.getFileName() + " (" + kept + " of " + rows.size() + " rows)");
        }
        boolean[] y = train.y();
        double[] weights = LogisticRegression.balancedWeights(y);
        progress.printf("  %s: fitting on %d rows, %d held out for the mix and the threshold%n", task.headName(),
                y.length, validation.texts.size());
        LogisticRegression.Model model =
                LogisticRegression.fit(train.vectors.toArray(float[][]::new), y, weights, settings.optimiser());

        boolean[] vy = validation.y();
        double[] encoderScores = new double[vy.length];
        for (int i = 0; i < vy.length; i++) {
            encoderScores[i] = model.probability(validation.vectors.get(i));
        }
        LexicalModel lexical = null;
        double[] scores = encoderScores;
        if (settings.lexical().bits() > 0) {
            LexicalModel words = LexicalRegression.fit(train.texts, y, weights, settings.lexical(), 0);
            double bestAuc = -1;
            for (double mix : MIXES) {
                LexicalModel candidate = new LexicalModel(words.bits(), mix, words.bias(), words.weights());
                double[] mixed = new double[vy.length];
                for (int i = 0; i < vy.length; i++) {
                    mixed[i] = candidate.combine(validation.texts.get(i), encoderScores[i]);
                }
                double auc = RocAuc.of(mixed, vy);
                if (auc > bestAuc) {
                    bestAuc = auc;
                    lexical = candidate;
                    scores = mixed;
                }
            }
        }
        BinaryMetrics chosen = ThresholdChoice.best(scores, vy, settings.maxFalsePositiveRate());
        return new Result(task, model, lexical, chosen, RocAuc.of(scores, vy), y.length, vy.length, files);
    }
}
