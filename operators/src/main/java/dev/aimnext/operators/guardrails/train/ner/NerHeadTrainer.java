package dev.aimnext.operators.guardrails.train.ner;

import dev.aimnext.operators.guardrails.engine.ScoreActivation;
import dev.aimnext.operators.guardrails.engine.token.AlignedWindow;
import dev.aimnext.operators.guardrails.engine.token.BioLabels;
import dev.aimnext.operators.guardrails.engine.token.EntitySpan;
import dev.aimnext.operators.guardrails.engine.token.TokenFeatures;
import dev.aimnext.operators.guardrails.engine.token.TokenOffsets;
import dev.aimnext.operators.guardrails.engine.token.TokenTagger;
import dev.aimnext.operators.guardrails.engine.token.WindowHiddenStates;
import dev.aimnext.operators.guardrails.engine.token.WindowMerger;
import dev.aimnext.operators.guardrails.pii.PiiEntity;
import dev.aimnext.operators.guardrails.pii.recognize.NamedEntityTypes;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Trains the token head of a NER pack on span-annotated texts: the frozen encoder gives every
 * token's state (through {@code InferenceEngine::tokenStates}, the same windows and states the pack
 * serves with), gold spans become BIO tags, and {@link SoftmaxRegression} fits one linear layer over
 * {@link TokenFeatures}. Deterministic for a seed.
 *
 * <p>Tags: the first token of a gold span is {@code B-X}, every later token (sub-word pieces
 * included) {@code I-X}; tokens outside the mapped types are {@code O}. Types map through
 * {@link NamedEntityTypes} ({@code GPE} → LOCATION, {@code STREET_ADDRESS} → ADDRESS); other types
 * ({@code DATE_TIME}, {@code CREDIT_CARD}...) are {@code O}, which the pattern recognizers cover.
 */
public final class NerHeadTrainer {

    /** Entity types of the built-in NER pack, in label order. */
    public static final List<PiiEntity> TYPES =
            List.of(PiiEntity.PERSON, PiiEntity.LOCATION, PiiEntity.ORGANIZATION, PiiEntity.ADDRESS);

    /**
     * @param seed seeds the validation split and the optimiser's shuffle
     * @param validationFraction share of texts held out and scored after training (0: train on all)
     */
    public record Settings(long seed, double validationFraction, TokenFeatures features, SoftmaxRegression.Settings optimiser) {
        public Settings {
            if (validationFraction < 0 || validationFraction >= 1) {
                throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
            }
        }

        /**
         * The defaults behind the shipped head, chosen on a 20% validation split of the training
         * data (never on evaluation data): two neighbours each side, all shape flags (of the token
         * only), 60 epochs, L2 1e-3, no class weighting. Class-balanced weights (power 0.25 or 0.5)
         * gave the same validation F1 with more entities found in entity-free texts.
         */
        public static Settings defaults(long seed) {
            return new Settings(seed, 0, new TokenFeatures(2, Arrays.asList(TokenFeatures.Shape.values()), 0),
                    new SoftmaxRegression.Settings(seed, 60, 256, 1e-3, 1e-3, 0));
        }

        public Settings withClassWeightPower(double power) {
            SoftmaxRegression.Settings o = optimiser;
            return new Settings(seed, validationFraction, features,
                    new SoftmaxRegression.Settings(o.seed(), o.epochs(), o.batchSize(), o.learningRate(), o.l2(), power));
        }

        public Settings withEpochs(int epochs) {
            SoftmaxRegression.Settings o = optimiser;
            return new Settings(seed, validationFraction, features,
                    new SoftmaxRegression.Settings(o.seed(), epochs, o.batchSize(), o.learningRate(), o.l2(), o.classWeightPower()));
        }

        public Settings withValidationFraction(double fraction) {
            return new Settings(seed, fraction, features, optimiser);
        }
    }

    /**
     * @param labels BIO labels in id order
     * @param labelCounts training tokens per label
     * @param validationExamples the held-out texts; empty without a validation split
     * @param validationPredictions the trained head's entities in them, for
     *     {@code eval.ner.NerEvaluation}
     */
    public record Result(List<String> labels, TokenFeatures features, SoftmaxRegression.Settings optimiser,
                         SoftmaxRegression.Model model, int trainTexts, int trainTokens, long[] labelCounts,
                         List<NerExample> validationExamples, List<List<EntitySpan>> validationPredictions) {}

    private final Function<List<String>, List<WindowHiddenStates>> encoder;
    private final PrintStream log;

    /** @param encoder texts → encoder states per window, e.g. {@code engine::tokenStates} */
    public NerHeadTrainer(Function<List<String>, List<WindowHiddenStates>> encoder, PrintStream log) {
        this.encoder = encoder;
        this.log = log;
    }

    /** BIO labels of the built-in pack: {@code O, B-PERSON, I-PERSON, ...}. */
    public static List<String> labels() {
        List<String> labels = new ArrayList<>();
        labels.add("O");
        for (PiiEntity t : TYPES) {
            labels.add("B-" + t.name());
            labels.add("I-" + t.name());
        }
        return List.copyOf(labels);
    }

    public Result train(List<NerExample> examples, Settings settings) {
        List<NerExample> train = new ArrayList<>();
        List<NerExample> held = new ArrayList<>();
        split(examples, settings, train, held);
        List<String> labels = labels();

        Encoded enc = encode(train);
        List<int[]> refs = new ArrayList<>();
        List<Integer> tags = new ArrayList<>();
        List<List<WindowMerger.TokenRef>> picks = WindowMerger.pick(enc.windows, train.size());
        for (int t = 0; t < train.size(); t++) {
            tagTokens(train.get(t), picks.get(t), enc.windows, labels, refs, tags);
        }
        int[] y = tags.stream().mapToInt(Integer::intValue).toArray();
        long[] counts = new long[labels.size()];
        for (int label : y) {
            counts[label]++;
        }
        int hidden = enc.states.get(0).hidden()[0].length;
        TokenFeatures features = settings.features();
        float[][][] shapes = shapeFlags(enc, train, features);
        SoftmaxRegression.Rows rows = new SoftmaxRegression.Rows() {
            @Override
            public int size() {
                return refs.size();
            }

            @Override
            public int dimension() {
                return features.dimension(hidden);
            }

            @Override
            public void fill(int row, float[] out) {
                int[] ref = refs.get(row);
                float[][] h = enc.states.get(ref[0]).hidden();
                features.fill(h, h.length, shapes[ref[0]], ref[1], out);
            }
        };
        log.printf("  %d texts, %d tokens, %d features per token; fitting %d epochs%n",
                train.size(), refs.size(), rows.dimension(), settings.optimiser().epochs());
        SoftmaxRegression.Model model = SoftmaxRegression.fit(rows, y, labels.size(), settings.optimiser());

        List<List<EntitySpan>> predicted = held.isEmpty() ? List.of() : predict(held, labels, features, model);
        return new Result(labels, features, settings.optimiser(), model, train.size(), refs.size(), counts,
                List.copyOf(held), predicted);
    }

    /** Entity spans of {@code examples} under a trained model, exactly as the engine would find them. */
    public List<List<EntitySpan>> predict(List<NerExample> examples, List<String> labels, TokenFeatures features,
                                          SoftmaxRegression.Model model) {
        Encoded enc = encode(examples);
        float[][][] shapes = shapeFlags(enc, examples, features);
        List<float[][]> probabilities = new ArrayList<>(enc.states.size());
        for (int w = 0; w < enc.states.size(); w++) {
            float[][] h = enc.states.get(w).hidden();
            float[] x = new float[features.dimension(h[0].length)];
            float[][] p = new float[h.length][];
            for (int t = 0; t < h.length; t++) {
                features.fill(h, h.length, shapes[w], t, x);
                p[t] = logits(model, x);
            }
            probabilities.add(p);
        }
        List<String> texts = examples.stream().map(NerExample::text).toList();
        return TokenTagger.entities(BioLabels.parse(labels, "trained head"), texts, enc.windows, probabilities);
    }

    private static float[] logits(SoftmaxRegression.Model model, float[] x) {
        float[] z = new float[model.bias().length];
        for (int k = 0; k < z.length; k++) {
            double acc = model.bias()[k];
            float[] wk = model.weights()[k];
            for (int d = 0; d < x.length; d++) {
                acc += (double) wk[d] * x[d];
            }
            z[k] = (float) acc;
        }
        return ScoreActivation.SOFTMAX.apply(z);
    }

    private record Encoded(List<WindowHiddenStates> states, List<AlignedWindow> windows) {}

    private Encoded encode(List<NerExample> examples) {
        List<String> texts = examples.stream().map(NerExample::text).toList();
        List<WindowHiddenStates> states = encoder.apply(texts);
        return new Encoded(states, states.stream().map(WindowHiddenStates::window).toList());
    }

    private static float[][][] shapeFlags(Encoded enc, List<NerExample> examples, TokenFeatures features) {
        float[][][] shapes = new float[enc.windows.size()][][];
        for (int w = 0; w < shapes.length; w++) {
            AlignedWindow window = enc.windows.get(w);
            shapes[w] = features.shapeFlags(window.offsets(), examples.get(window.textIndex()).text());
        }
        return shapes;
    }

    /** BIO tag of each picked token of one text; appends (window, position) and the tag id. */
    static void tagTokens(NerExample example, List<WindowMerger.TokenRef> picks, List<AlignedWindow> windows,
                          List<String> labels, List<int[]> refs, List<Integer> tags) {
        List<NerExample.Span> gold = example.spans();
        int g = 0;
        int begun = -1;
        for (WindowMerger.TokenRef ref : picks) {
            TokenOffsets o = windows.get(ref.window()).offsets();
            int start = o.starts()[ref.position()];
            int end = o.ends()[ref.position()];
            while (g < gold.size() && gold.get(g).end() <= start) {
                g++;
            }
            String label = "O";
            if (g < gold.size() && gold.get(g).start() < end) {
                PiiEntity type = NamedEntityTypes.toPii(gold.get(g).type());
                if (type != null && TYPES.contains(type)) {
                    label = (begun == g ? "I-" : "B-") + type.name();
                    begun = g;
                }
            }
            refs.add(new int[] {ref.window(), ref.position()});
            tags.add(labels.indexOf(label));
        }
    }

    private static void split(List<NerExample> examples, Settings s, List<NerExample> train, List<NerExample> held) {
        if (s.validationFraction() == 0) {
            train.addAll(examples);
            return;
        }
        Integer[] order = new Integer[examples.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(s.seed() * 31 + 7);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int heldCount = (int) Math.round(examples.size() * s.validationFraction());
        boolean[] isHeld = new boolean[examples.size()];
        for (int i = 0; i < heldCount; i++) {
            isHeld[order[i]] = true;
        }
        for (int i = 0; i < examples.size(); i++) {
            (isHeld[i] ? held : train).add(examples.get(i));
        }
    }
}
