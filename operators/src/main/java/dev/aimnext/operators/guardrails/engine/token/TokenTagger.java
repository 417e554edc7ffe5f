package dev.aimnext.operators.guardrails.engine.token;

import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.ModelPackException;
import dev.aimnext.operators.guardrails.engine.PackTask;
import dev.aimnext.operators.guardrails.engine.ScoreActivation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Label probabilities per token for a {@link PackTask#TOKEN_CLASSIFICATION} pack, in one of two
 * layouts:
 * <ul>
 *   <li>an HF token-classification export (no head files): the graph's {@code logits}
 *       [batch, seq, labels] with a softmax per token, labels from config.json's id2label;</li>
 *   <li>an encoder with one token head ({@code heads} in aim-pack.json): {@code last_hidden_state}
 *       [batch, seq, hidden] through {@link TokenHead}, whose labels must equal the pack's.</li>
 * </ul>
 */
public final class TokenTagger {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BioLabels labels;
    private final TokenHead head;

    private TokenTagger(BioLabels labels, TokenHead head) {
        this.labels = labels;
        this.head = head;
    }

    /** Checks the pack's labels and head and builds its tagger. */
    public static TokenTagger forPack(ModelPack pack) {
        if (pack.task() != PackTask.TOKEN_CLASSIFICATION) {
            throw new IllegalArgumentException(pack.dir() + " is a " + pack.task() + " pack, not token_classification");
        }
        String where = pack.dir().resolve(ModelPack.CONFIG_FILE).toString();
        BioLabels labels = BioLabels.parse(pack.labels(), where);
        List<Path> headFiles = headFiles(pack);
        if (headFiles.isEmpty()) {
            return new TokenTagger(labels, null);
        }
        if (headFiles.size() != 1) {
            throw new ModelPackException(pack.dir().resolve(ModelPack.MANIFEST_FILE)
                    + ": a token_classification pack takes exactly one head file, got " + headFiles.size());
        }
        TokenHead head = TokenHead.load(headFiles.get(0));
        if (!head.linear().labels().equals(pack.labels())) {
            throw new ModelPackException(headFiles.get(0) + ": labels " + head.linear().labels()
                    + " differ from the pack's " + pack.labels() + " (config.json id2label or aim-pack.json labels)");
        }
        return new TokenTagger(labels, head);
    }

    /** The head files aim-pack.json lists, resolved in the pack (ModelPack has checked they exist). */
    private static List<Path> headFiles(ModelPack pack) {
        Path manifest = pack.dir().resolve(ModelPack.MANIFEST_FILE);
        List<Path> files = new ArrayList<>();
        if (!Files.isRegularFile(manifest)) {
            return files;
        }
        try {
            for (JsonNode h : MAPPER.readTree(Files.readAllBytes(manifest)).path("heads")) {
                files.add(pack.dir().resolve(h.asText()).normalize());
            }
        } catch (IOException e) {
            throw new ModelPackException(manifest + ": cannot parse JSON: " + e.getMessage(), e);
        }
        return files;
    }

    public BioLabels labels() {
        return labels;
    }

    /** Whether the graph's output is encoder states for a head ({@code last_hidden_state}) rather than logits. */
    public boolean readsHiddenStates() {
        return head != null;
    }

    /** The token head; null for an HF logits export. */
    public TokenHead head() {
        return head;
    }

    /**
     * Label probabilities of one window.
     *
     * @param row the graph's output for the window's batch row, [padded seq][logits or hidden]
     * @return [tokens][labels] for the window's real tokens
     */
    public float[][] probabilities(float[][] row, TokenOffsets offsets, String text) {
        if (head != null) {
            return head.probabilities(row, offsets, text);
        }
        float[][] out = new float[offsets.length()][];
        for (int t = 0; t < offsets.length(); t++) {
            if (row[t].length != labels.size()) {
                throw new IllegalStateException("the graph gives " + row[t].length + " logits per token, the pack has "
                        + labels.size() + " labels");
            }
            out[t] = ScoreActivation.SOFTMAX.apply(row[t]);
        }
        return out;
    }

    /** Entity spans of each text, from the windows' probabilities ({@code probabilities[w]}: window w). */
    public List<List<EntitySpan>> entities(List<String> texts, List<AlignedWindow> windows, List<float[][]> probabilities) {
        return entities(labels, texts, windows, probabilities);
    }

    /** As {@link #entities(List, List, List)}, for probabilities from any source (e.g. a head in training). */
    public static List<List<EntitySpan>> entities(BioLabels labels, List<String> texts, List<AlignedWindow> windows,
                                                  List<float[][]> probabilities) {
        List<List<WindowMerger.TokenRef>> picks = WindowMerger.pick(windows, texts.size());
        List<List<EntitySpan>> out = new ArrayList<>(texts.size());
        for (int t = 0; t < texts.size(); t++) {
            List<TaggedToken> tokens = new ArrayList<>(picks.get(t).size());
            for (WindowMerger.TokenRef ref : picks.get(t)) {
                TokenOffsets o = windows.get(ref.window()).offsets();
                tokens.add(new TaggedToken(o.starts()[ref.position()], o.ends()[ref.position()],
                        o.wordIds()[ref.position()], probabilities.get(ref.window())[ref.position()]));
            }
            out.add(BioAggregator.aggregate(texts.get(t), labels, tokens));
        }
        return out;
    }
}
