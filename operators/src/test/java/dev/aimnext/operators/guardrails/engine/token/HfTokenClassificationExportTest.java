package dev.aimnext.operators.guardrails.engine.token;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.ModelPackException;
import dev.aimnext.operators.guardrails.engine.OnnxProto;
import dev.aimnext.operators.guardrails.engine.PackTask;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.aimnext.operators.guardrails.engine.OnnxProto.FLOAT;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.INT64;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.floatTensor;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.intAttr;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.node;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * An HF token-classification export in the layout {@code optimum-cli export onnx --task
 * token-classification} writes (model.onnx with {@code logits} [batch, seq, labels], tokenizer.json,
 * config.json with {@code BertForTokenClassification} and dslim/bert-base-NER's id2label, no
 * aim-pack.json), whose graph is written by hand: {@code logits = Gather(E, input_ids)}, a fixed
 * label score per vocabulary entry. The tokenizer is MiniLM's real one, so offsets, sub-words and
 * windows are real; the expected entities follow from the table.
 */
class HfTokenClassificationExportTest {

    /** dslim/bert-base-NER's id2label. */
    private static final List<String> LABELS =
            List.of("O", "B-MISC", "I-MISC", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC");
    private static final int VOCAB = 30522;

    @TempDir
    static Path root;

    private static InferenceEngine engine;
    private static InferenceEngine smallWindows;

    @BeforeAll
    static void buildExport() throws IOException {
        // word to tag → label; "goiania" is go ##iani ##a, and its ##iani piece gets I-PER.
        Map<String, String> lexicon = Map.of("john", "B-PER", "smith", "I-PER", "paris", "B-LOC",
                "acme", "B-ORG", "corp", "I-ORG", "goiania", "I-PER");
        float[] table = new float[VOCAB * LABELS.size()];
        for (int v = 0; v < VOCAB; v++) {
            table[v * LABELS.size()] = 5f; // O
        }
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(NerTestPacks.tokenizer(), Map.of())) {
            for (Map.Entry<String, String> e : lexicon.entrySet()) {
                long[] ids = tok.encode(e.getKey(), false, false).getIds();
                long id = e.getKey().equals("goiania") ? ids[1] : ids[0];
                table[(int) id * LABELS.size() + LABELS.indexOf(e.getValue())] = 10f;
            }
        }
        OnnxProto.Message graph = OnnxProto.message()
                .bytes(1, node("Gather", "gather_logits", new String[] {"E", "input_ids"}, new String[] {"logits"},
                        intAttr("axis", 0)))
                .str(2, "lexicon-token-classifier")
                .bytes(5, floatTensor("E", new long[] {VOCAB, LABELS.size()}, table))
                .bytes(11, valueInfo("input_ids", INT64, "batch", "seq"))
                .bytes(11, valueInfo("attention_mask", INT64, "batch", "seq"))
                .bytes(12, valueInfo("logits", FLOAT, "batch", "seq", Integer.toString(LABELS.size())));
        byte[] model = OnnxProto.model(7, 13, graph);

        engine = InferenceEngine.open(ModelPack.load(export(root.resolve("export"), model, 512)), EngineSettings.defaults());
        // 16-token windows (14 real tokens), 4 shared: window k covers real tokens [10k, 10k + 14).
        smallWindows = InferenceEngine.open(ModelPack.load(export(root.resolve("export-16"), model, 16)),
                new EngineSettings(EngineSettings.defaults().provider(), 0, 0, 0L, 2, Duration.ZERO, 4));
    }

    private static Path export(Path dir, byte[] model, int maxPositions) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(ModelPack.MODEL_FILE), model);
        try (InputStream in = NerTestPacks.tokenizer()) {
            Files.copy(in, dir.resolve(ModelPack.TOKENIZER_FILE));
        }
        StringBuilder id2label = new StringBuilder();
        for (int i = 0; i < LABELS.size(); i++) {
            id2label.append(i == 0 ? "" : ",").append('"').append(i).append("\":\"").append(LABELS.get(i)).append('"');
        }
        Files.writeString(dir.resolve(ModelPack.CONFIG_FILE), "{\"model_type\":\"bert\",\"architectures\":"
                + "[\"BertForTokenClassification\"],\"max_position_embeddings\":" + maxPositions
                + ",\"pad_token_id\":0,\"id2label\":{" + id2label + "}}");
        return dir;
    }

    @AfterAll
    static void close() {
        if (engine != null) {
            engine.close();
        }
        if (smallWindows != null) {
            smallWindows.close();
        }
    }

    private static List<String> found(String text, List<EntitySpan> spans) {
        List<String> out = new ArrayList<>();
        spans.forEach(s -> out.add(s.type() + ":" + text.substring(s.start(), s.end())));
        return out;
    }

    @Test
    void loadsWithoutAimPackJsonAsTokenClassification() {
        assertThat(engine.pack().task()).isEqualTo(PackTask.TOKEN_CLASSIFICATION);
        assertThatThrownBy(() -> engine.score(List.of("x"))).hasMessageContaining("use entities");
    }

    @Test
    void findsEntitiesWithOffsetsIntoTheOriginalText() {
        String text = "Yesterday JOHN Smith flew to Paris for Acme Corp.";

        List<EntitySpan> spans = engine.entities(List.of(text)).get(0);

        assertThat(found(text, spans)).containsExactly("PER:JOHN Smith", "LOC:Paris", "ORG:Acme Corp");
        // A tagged token has logits 10 for its label, 5 for O and 0 for the other seven, so its
        // type (B- plus I-) gets (e^10 + 1) / (e^10 + e^5 + 7); a span scores the mean over its tokens.
        double tagged = (Math.exp(10) + 1) / (Math.exp(10) + Math.exp(5) + 7);
        assertThat(spans.get(0).score()).isCloseTo(tagged, within(1e-5));
        assertThat(spans.get(1).score()).isCloseTo(tagged, within(1e-5));
        // acme is ac ##me; the table only tags "ac", so ##me (O at 5, the rest 0) adds 2 / (e^5 + 8).
        double untaggedPiece = 2 / (Math.exp(5) + 8);
        assertThat(spans.get(2).score()).isCloseTo((2 * tagged + untaggedPiece) / 3, within(1e-5));
    }

    @Test
    void subWordPiecesFollowTheirWord() {
        // goiania → go ##iani ##a: the word takes its first piece's label (O), whatever ##iani says,
        // and John's entity does not swallow it either.
        String text = "john goiania";
        assertThat(found(text, engine.entities(List.of(text)).get(0))).containsExactly("PER:john");
    }

    @Test
    void batchesOfTextsComeBackInTextOrder() {
        List<String> texts = List.of("nothing here", "Paris", "ask John Smith at Acme Corp today");

        List<List<EntitySpan>> spans = engine.entities(texts);

        assertThat(spans.get(0)).isEmpty();
        assertThat(found(texts.get(1), spans.get(1))).containsExactly("LOC:Paris");
        assertThat(found(texts.get(2), spans.get(2))).containsExactly("PER:John Smith", "ORG:Acme Corp");
    }

    @Test
    void longTextsAreReadInOverlappingWindowsAndEntitiesInTheOverlapCountOnce() {
        // Windows of 14 real tokens sharing 4 cover tokens [0, 14), [10, 24), [20, 34), [30, 35):
        // john smith (tokens 12, 13) lies in windows 0 and 1, paris (token 21) in windows 1 and 2.
        String text = "x ".repeat(12) + "John Smith " + "y ".repeat(7) + "Paris " + "z ".repeat(13);

        List<List<EntitySpan>> spans = smallWindows.entities(List.of(text, "acme corp"));

        assertThat(found(text, spans.get(0))).containsExactly("PER:John Smith", "LOC:Paris");
        assertThat(spans.get(0).get(0).start()).isEqualTo(24);
        assertThat(found("acme corp", spans.get(1))).containsExactly("ORG:acme corp");
    }

    @Test
    void aHeadWhoseLabelsDisagreeWithConfigIsRejectedAtLoad() throws IOException {
        Path dir = root.resolve("bad-head");
        Files.createDirectories(dir.resolve("heads"));
        Files.write(dir.resolve(ModelPack.MODEL_FILE), new byte[] {1});
        try (InputStream in = NerTestPacks.tokenizer()) {
            Files.copy(in, dir.resolve(ModelPack.TOKENIZER_FILE));
        }
        Files.writeString(dir.resolve(ModelPack.CONFIG_FILE), "{\"id2label\":{\"0\":\"O\",\"1\":\"B-PER\",\"2\":\"I-PER\"}}");
        Files.writeString(dir.resolve(ModelPack.MANIFEST_FILE), "{\"task\":\"token_classification\",\"heads\":[\"heads/ner.json\"]}");
        Files.writeString(dir.resolve("heads/ner.json"),
                "{\"labels\":[\"O\",\"B-LOC\",\"I-LOC\"],\"weights\":[[0],[0],[0]],\"bias\":[0,0,0],\"activation\":\"softmax\"}");

        assertThatThrownBy(() -> InferenceEngine.open(ModelPack.load(dir), EngineSettings.defaults()))
                .isInstanceOf(ModelPackException.class)
                .hasMessageContaining("heads/ner.json").hasMessageContaining("differ from the pack's");
    }
}
