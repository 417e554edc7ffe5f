package dev.aimnext.operators.guardrails.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.aimnext.operators.guardrails.engine.token.AlignedWindow;
import dev.aimnext.operators.guardrails.engine.token.EntitySpan;
import dev.aimnext.operators.guardrails.engine.token.TokenTagger;
import dev.aimnext.operators.guardrails.engine.token.WindowHiddenStates;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Runs one {@link ModelPack} in ONNX Runtime. Texts are split into windows, sorted by length so a
 * batch holds windows of similar length (length bucketing: little padding), cut into batches of at
 * most {@link EngineSettings#maxBatchSize}, padded per batch, run, and folded back per text by
 * {@link WindowScores}. For {@link PackTask#ENCODER_HEADS} the encoder runs once per window and
 * every head reads the same pooled vector. A {@link PackTask#TOKEN_CLASSIFICATION} pack is served
 * by {@link #entities} instead of {@link #score}.
 *
 * <p>Thread-safe: ORT's {@code Run} and the tokenizer may be called concurrently, so one engine
 * serves all slots of a TaskManager through {@link EngineRegistry}.
 */
public final class InferenceEngine implements AutoCloseable {

    private static final int CHARS_PER_BUCKET = 4 * 32;
    /** Texts past this bucket are split into windows anyway, so they share one bucket. */
    private static final int MAX_BUCKET = 15;

    private final ModelPack pack;
    private final EngineSettings settings;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final WindowedTokenizer tokenizer;
    private final boolean feedsTokenTypes;
    private final String outputName;
    /** Token-classification packs only; null otherwise. */
    private final TokenTagger tagger;

    private InferenceEngine(ModelPack pack, EngineSettings settings, OrtEnvironment env, OrtSession session,
                            WindowedTokenizer tokenizer, String outputName, TokenTagger tagger) {
        this.pack = pack;
        this.settings = settings;
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        this.outputName = outputName;
        this.tagger = tagger;
        this.feedsTokenTypes = session.getInputNames().contains("token_type_ids");
    }

    /**
     * Opens the pack's session on the configured provider. Fails with a {@link ModelPackException}
     * when the provider is not in this ORT build, or {@code model.onnx} or {@code tokenizer.json}
     * cannot be loaded.
     */
    public static InferenceEngine open(ModelPack pack, EngineSettings settings) {
        // Labels and head are checked before the (slow) session load.
        TokenTagger tagger = pack.task() == PackTask.TOKEN_CLASSIFICATION ? TokenTagger.forPack(pack) : null;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = OrtSessionOptionsFactory.openSession(env, pack, settings);
        try {
            Set<String> inputs = session.getInputNames();
            if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
                throw new ModelPackException(pack.modelFile() + ": graph inputs " + inputs
                        + " lack input_ids and attention_mask");
            }
            String output = outputName(pack, session.getOutputNames(), tagger);
            int stride = settings.stride() > 0 ? settings.stride() : pack.stride();
            WindowedTokenizer tokenizer = WindowedTokenizer.load(pack.tokenizerFile(), pack.maxLength(), stride);
            return new InferenceEngine(pack, settings, env, session, tokenizer, output, tagger);
        } catch (RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static String outputName(ModelPack pack, Set<String> outputs, TokenTagger tagger) {
        boolean hidden = pack.task() == PackTask.ENCODER_HEADS || (tagger != null && tagger.readsHiddenStates());
        String wanted = hidden ? "last_hidden_state" : "logits";
        if (outputs.contains(wanted)) {
            return wanted;
        }
        if (outputs.size() == 1) {
            return outputs.iterator().next();
        }
        throw new ModelPackException(pack.modelFile() + ": no output named " + wanted + " among " + outputs);
    }

    /**
     * The micro-batcher's bucket of a text: its character length in steps of about 32 tokens (4
     * characters per token), so a batch holds texts of similar length and dynamic padding stays small.
     */
    public static int lengthBucket(String text) {
        return Math.min(text.length() / CHARS_PER_BUCKET, MAX_BUCKET);
    }

    /** The pack this engine serves. */
    public ModelPack pack() {
        return pack;
    }

    /** The settings it was opened with. */
    public EngineSettings settings() {
        return settings;
    }

    /** Runs one small batch so session initialisation and kernel choice happen in {@code open()}, not on the first record. */
    public void warmUp() {
        if (tagger != null) {
            entities(List.of("warm-up"));
        } else {
            score(List.of("warm-up"));
        }
    }

    /**
     * A micro-batcher in front of {@link #score}, with this engine's batch size and linger.
     * Requests are bucketed by character length in steps of about 32 tokens (4 characters per
     * token), so a batch holds texts of similar length and dynamic padding stays small.
     *
     * @param executor where batches run, e.g. a small pool owned by the operator
     */
    public MicroBatcher<String, TextScores> newBatcher(Executor executor) {
        return new MicroBatcher<>(settings.maxBatchSize(), settings.linger(),
                InferenceEngine::lengthBucket, this::score, executor, System::nanoTime);
    }

    /** Scores every text; the result is in text order. */
    public List<TextScores> score(List<String> texts) {
        if (tagger != null) {
            throw new IllegalStateException("score needs a sequence_classification or encoder_heads pack; "
                    + pack.dir() + " is token_classification: use entities");
        }
        if (texts.isEmpty()) {
            return List.of();
        }
        List<TokenWindow> windows = tokenizer.windows(texts);
        float[][] perWindow = runBucketed(windows, this::scoreBatch);
        float[][] perText = WindowScores.maxPerText(windows, perWindow, texts.size());
        mixInLexical(texts, perText);
        int[] windowCounts = new int[texts.size()];
        windows.forEach(w -> windowCounts[w.textIndex()]++);
        List<String> keys = scoreKeys();
        List<TextScores> out = new ArrayList<>(texts.size());
        for (int t = 0; t < texts.size(); t++) {
            Map<String, Float> m = new LinkedHashMap<>();
            for (int k = 0; k < keys.size(); k++) {
                m.put(keys.get(k), perText[t][k]);
            }
            out.add(new TextScores(m, windowCounts[t]));
        }
        return out;
    }

    /** Heads with a word-level model score the whole text, after the windows' maximum. */
    private void mixInLexical(List<String> texts, float[][] perText) {
        if (pack.task() != PackTask.ENCODER_HEADS) {
            return;
        }
        int column = 0;
        for (LinearHead h : pack.heads()) {
            if (h.lexical() != null) {
                for (int t = 0; t < texts.size(); t++) {
                    perText[t][column] = (float) h.lexical().combine(texts.get(t), perText[t][column]);
                }
            }
            column += h.labels().size();
        }
    }

    /**
     * Pooled encoder vectors, one per text ({@link PackTask#ENCODER_HEADS} packs); a text of several
     * windows gets the mean of its windows' vectors.
     */
    public float[][] embed(List<String> texts) {
        if (pack.task() != PackTask.ENCODER_HEADS) {
            throw new IllegalStateException("embed needs an encoder_heads pack, " + pack.dir() + " is " + pack.task());
        }
        List<TokenWindow> windows = tokenizer.windows(texts);
        float[][] pooled = runBucketed(windows, this::poolBatch);
        float[][] out = new float[texts.size()][];
        int[] counts = new int[texts.size()];
        for (int r = 0; r < windows.size(); r++) {
            int t = windows.get(r).textIndex();
            if (out[t] == null) {
                out[t] = new float[pooled[r].length];
            }
            for (int d = 0; d < pooled[r].length; d++) {
                out[t][d] += pooled[r][d];
            }
            counts[t]++;
        }
        for (int t = 0; t < out.length; t++) {
            for (int d = 0; d < out[t].length; d++) {
                out[t][d] /= counts[t];
            }
        }
        return out;
    }

    /**
     * Named entities of every text ({@link PackTask#TOKEN_CLASSIFICATION} packs), in text order:
     * per-token BIO probabilities grouped into spans with UTF-16 offsets by
     * {@link dev.aimnext.operators.guardrails.engine.token.BioAggregator}. A long text's windows
     * overlap; each shared token is read once, from the window where it has more context.
     */
    public List<List<EntitySpan>> entities(List<String> texts) {
        TokenTagger t = requireTagger("entities");
        if (texts.isEmpty()) {
            return List.of();
        }
        List<AlignedWindow> windows = tokenizer.alignedWindows(texts);
        List<float[][]> probabilities = perWindowTokens(windows,
                (w, row) -> t.probabilities(row, w.offsets(), texts.get(w.textIndex())));
        return t.entities(texts, windows, probabilities);
    }

    /**
     * A micro-batcher in front of {@link #entities}, bucketed like {@link #newBatcher}.
     *
     * @param executor where batches run
     */
    public MicroBatcher<String, List<EntitySpan>> newEntityBatcher(Executor executor) {
        requireTagger("newEntityBatcher");
        return new MicroBatcher<>(settings.maxBatchSize(), settings.linger(),
                InferenceEngine::lengthBucket, this::entities, executor, System::nanoTime);
    }

    /**
     * The encoder states a token head reads, per window (token-classification packs with a head
     * file): what token-head training learns from. Windows come in text order.
     */
    public List<WindowHiddenStates> tokenStates(List<String> texts) {
        TokenTagger t = requireTagger("tokenStates");
        if (!t.readsHiddenStates()) {
            throw new IllegalStateException("tokenStates needs an encoder with a token head; " + pack.dir()
                    + " is a token-classification export with logits");
        }
        List<AlignedWindow> windows = tokenizer.alignedWindows(texts);
        List<float[][]> hidden = perWindowTokens(windows, (w, row) -> Arrays.copyOf(row, w.length()));
        List<WindowHiddenStates> out = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            out.add(new WindowHiddenStates(windows.get(i), hidden.get(i)));
        }
        return out;
    }

    private TokenTagger requireTagger(String method) {
        if (tagger == null) {
            throw new IllegalStateException(method + " needs a token_classification pack, " + pack.dir() + " is " + pack.task());
        }
        return tagger;
    }

    private interface TokenRowReader {
        float[][] read(AlignedWindow window, float[][] graphRow);
    }

    /** Runs the graph over the windows (bucketed like {@link #score}) and reads each window's [seq][dim] output row. */
    private List<float[][]> perWindowTokens(List<AlignedWindow> windows, TokenRowReader reader) {
        Map<TokenWindow, Integer> index = new IdentityHashMap<>();
        List<TokenWindow> plain = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            index.put(windows.get(i).window(), i);
            plain.add(windows.get(i).window());
        }
        float[][][] out = new float[windows.size()][][];
        runBucketed(plain, batch -> {
            float[][][] rows = (float[][][]) runGraph(batch);
            for (int b = 0; b < batch.size(); b++) {
                int w = index.get(batch.windows().get(b));
                out[w] = reader.read(windows.get(w), rows[b]);
            }
            // The per-window results live in out; runBucketed's own rows are not needed here.
            return new float[batch.size()][0];
        });
        return Arrays.asList(out);
    }

    private List<String> scoreKeys() {
        if (pack.task() == PackTask.SEQUENCE_CLASSIFICATION) {
            return pack.labels();
        }
        List<String> keys = new ArrayList<>();
        for (LinearHead h : pack.heads()) {
            if (h.labels().size() == 1) {
                keys.add(h.name());
            } else {
                h.labels().forEach(l -> keys.add(h.name() + "/" + l));
            }
        }
        return keys;
    }

    private interface BatchRun {
        float[][] run(PaddedBatch batch) throws OrtException;
    }

    /** Runs windows shortest first in batches of at most maxBatchSize; rows come back in window order. */
    private float[][] runBucketed(List<TokenWindow> windows, BatchRun run) {
        Integer[] order = new Integer[windows.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> windows.get(i).length()));
        float[][] rows = new float[windows.size()][];
        for (int start = 0; start < order.length; start += settings.maxBatchSize()) {
            int end = Math.min(order.length, start + settings.maxBatchSize());
            List<TokenWindow> chunk = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                chunk.add(windows.get(order[i]));
            }
            float[][] out;
            try {
                out = run.run(PaddedBatch.of(chunk, pack.padTokenId(), settings.padToLength()));
            } catch (OrtException e) {
                throw new IllegalStateException("inference failed on pack " + pack.version() + ": " + e.getMessage(), e);
            }
            for (int i = start; i < end; i++) {
                rows[order[i]] = out[i - start];
            }
        }
        return rows;
    }

    private float[][] scoreBatch(PaddedBatch batch) throws OrtException {
        if (pack.task() == PackTask.SEQUENCE_CLASSIFICATION) {
            float[][] logits = (float[][]) runGraph(batch);
            float[][] out = new float[logits.length][];
            for (int b = 0; b < logits.length; b++) {
                out[b] = pack.activation().apply(logits[b]);
            }
            return out;
        }
        float[][] pooled = poolBatch(batch);
        float[][] out = new float[pooled.length][];
        for (int b = 0; b < pooled.length; b++) {
            List<Float> row = new ArrayList<>();
            for (LinearHead h : pack.heads()) {
                for (float s : h.score(pooled[b])) {
                    row.add(s);
                }
            }
            out[b] = new float[row.size()];
            for (int i = 0; i < row.size(); i++) {
                out[b][i] = row.get(i);
            }
        }
        return out;
    }

    private float[][] poolBatch(PaddedBatch batch) throws OrtException {
        float[][][] hidden = (float[][][]) runGraph(batch);
        return pack.pooling().pool(hidden, batch.attentionMask());
    }

    private Object runGraph(PaddedBatch batch) throws OrtException {
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, batch.inputIds()));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, batch.attentionMask()));
            if (feedsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, batch.tokenTypeIds()));
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
                return result.get(0).getValue();
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
        tokenizer.close();
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing only frees native memory; nothing a caller could do about a failure here.
        }
    }
}
