package dev.aimnext.operators.guardrails.engine.token;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.OnnxProto;
import dev.aimnext.operators.guardrails.train.ner.NerCorpus;
import dev.aimnext.operators.guardrails.train.ner.NerExample;
import dev.aimnext.operators.guardrails.train.ner.NerHeadTrainer;
import dev.aimnext.operators.guardrails.train.ner.SoftmaxRegression;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.aimnext.operators.guardrails.engine.OnnxProto.FLOAT;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.floatTensor;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.node;
import static dev.aimnext.operators.guardrails.engine.OnnxProto.valueInfo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The built-in ner-minilm pack (quantized MiniLM encoder + the shipped token head), and the same
 * encoder exported the HF way: a plain token head (one linear layer over {@code h[t]}, trained here
 * on a few hand-written sentences) appended inside the ONNX graph as
 * {@code logits = MatMul(last_hidden_state, W) + b}, in a folder with no aim-pack.json. That
 * export's entities must equal those of the encoder + head-file pack with the same plain head: the
 * two layouts are two routes to one computation.
 */
class MiniLmNerPackTest {

    private static final int DIM = 384;

    @TempDir
    static Path root;

    private static InferenceEngine shipped;
    private static InferenceEngine plainHead;
    private static InferenceEngine hfExport;
    private static List<String> texts;

    private static Path tinyTrainingFile() {
        try {
            return Path.of(MiniLmNerPackTest.class.getResource("/ner/tiny_train.jsonl").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void open() throws IOException {
        Path packDir = NerTestPacks.nerMiniLm(root.resolve("ner-minilm"));
        ModelPack pack = ModelPack.load(packDir);
        shipped = InferenceEngine.open(pack, EngineSettings.defaults());

        List<NerExample> sentences = NerCorpus.read(tinyTrainingFile());
        NerHeadTrainer.Settings plain = new NerHeadTrainer.Settings(5, 0, TokenFeatures.plain(),
                new SoftmaxRegression.Settings(5, 40, 32, 3e-3, 1e-4, 0));
        NerHeadTrainer.Result trained = new NerHeadTrainer(shipped::tokenStates,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).train(sentences, plain);
        List<String> labels = trained.labels();
        float[][] w = trained.model().weights();
        float[] b = trained.model().bias();
        texts = sentences.stream().map(NerExample::text).toList();

        Path plainDir = NerTestPacks.nerMiniLm(root.resolve("plain-head"));
        Files.writeString(plainDir.resolve("heads/ner.json"), headJson(labels, w, b));
        plainHead = InferenceEngine.open(ModelPack.load(plainDir), EngineSettings.defaults());

        byte[] minilm;
        try (InputStream in = NerTestPacks.class.getResourceAsStream(NerTestPacks.MODEL_RESOURCE)) {
            minilm = in.readAllBytes();
        }
        Path exportDir = Files.createDirectories(root.resolve("hf-export"));
        Files.write(exportDir.resolve(ModelPack.MODEL_FILE), OnnxProto.appendToGraph(minilm, tokenHead(w, b)));
        NerTestPacks.copy(NerTestPacks.TOKENIZER_RESOURCE, exportDir.resolve(ModelPack.TOKENIZER_FILE));
        String config = Files.readString(packDir.resolve(ModelPack.CONFIG_FILE))
                .replace("\"model_type\": \"bert\",", "\"model_type\": \"bert\", \"architectures\": [\"BertForTokenClassification\"],");
        Files.writeString(exportDir.resolve(ModelPack.CONFIG_FILE), config);
        hfExport = InferenceEngine.open(ModelPack.load(exportDir), EngineSettings.defaults());
    }

    /** {@code logits = MatMul(last_hidden_state, W[384, labels]) + b}, merged into the MiniLM graph. */
    private static OnnxProto.Message tokenHead(float[][] w, float[] b) {
        int labels = b.length;
        float[] flat = new float[DIM * labels];
        for (int d = 0; d < DIM; d++) {
            for (int k = 0; k < labels; k++) {
                flat[d * labels + k] = w[k][d];
            }
        }
        return OnnxProto.message()
                .bytes(1, node("MatMul", "ner_head_matmul", new String[] {"last_hidden_state", "ner_head/W"},
                        new String[] {"ner_head/z"}))
                .bytes(1, node("Add", "ner_head_add", new String[] {"ner_head/z", "ner_head/b"}, new String[] {"logits"}))
                .bytes(5, floatTensor("ner_head/W", new long[] {DIM, labels}, flat))
                .bytes(5, floatTensor("ner_head/b", new long[] {labels}, b))
                .bytes(12, valueInfo("logits", FLOAT, "batch_size", "sequence_length", Integer.toString(labels)));
    }

    private static String headJson(List<String> labels, float[][] w, float[] b) {
        StringBuilder sb = new StringBuilder("{\"labels\": [");
        for (int k = 0; k < labels.size(); k++) {
            sb.append(k == 0 ? "\"" : ", \"").append(labels.get(k)).append('"');
        }
        sb.append("], \"activation\": \"softmax\", \"bias\": [");
        for (int k = 0; k < b.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(b[k]);
        }
        sb.append("], \"weights\": [");
        for (int k = 0; k < w.length; k++) {
            sb.append(k == 0 ? "[" : ", [");
            for (int d = 0; d < DIM; d++) {
                sb.append(d == 0 ? "" : ", ").append(w[k][d]);
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    @AfterAll
    static void close() {
        for (InferenceEngine e : new InferenceEngine[] {shipped, plainHead, hfExport}) {
            if (e != null) {
                e.close();
            }
        }
    }

    private static List<String> found(String text, List<EntitySpan> spans) {
        List<String> out = new ArrayList<>();
        spans.forEach(s -> out.add(s.type() + ":" + text.substring(s.start(), s.end())));
        return out;
    }

    private static final List<String> TEXTS = List.of(
            "Maria Garcia works for Microsoft in Seattle.",
            "The weather is nice today.",
            "Contact Ingrid Svensson, 12 Harbour Road, Bristol BS1 4QA.",
            "How do I reset my password?",
            "Can you update the address to 221 Baker Street, London NW1 6XE?");

    /**
     * What the shipped head finds in a few sentences: a check that the pack loads and serves
     * end to end with its trained head, not a measure of its quality (that is the evaluation
     * table in docs/GUARDRAIL-ENGINE.md). Retraining with another seed may change these.
     */
    @Test
    void theShippedPackFindsPeopleOrganisationsAndAddresses() {
        List<List<EntitySpan>> spans = shipped.entities(TEXTS);

        assertThat(found(TEXTS.get(0), spans.get(0))).contains("PERSON:Maria Garcia", "ORGANIZATION:Microsoft");
        assertThat(spans.get(1)).isEmpty();
        assertThat(found(TEXTS.get(2), spans.get(2))).contains("PERSON:Ingrid Svensson");
        assertThat(found(TEXTS.get(2), spans.get(2))).anyMatch(s -> s.startsWith("ADDRESS:") && s.contains("Harbour Road"));
        assertThat(spans.get(3)).isEmpty();
        assertThat(found(TEXTS.get(4), spans.get(4))).anyMatch(s -> s.startsWith("ADDRESS:221 Baker Street"));
        assertThat(spans).allSatisfy(list -> assertThat(list).allSatisfy(s -> assertThat(s.score()).isBetween(0.0, 1.0)));
    }

    @Test
    void anHfExportWithTheHeadInTheGraphFindsWhatTheHeadFileFinds() {
        List<List<EntitySpan>> fromHeadFile = plainHead.entities(texts);
        List<List<EntitySpan>> fromGraph = hfExport.entities(texts);

        assertThat(fromHeadFile.stream().mapToInt(List::size).sum()).isGreaterThan(10);
        for (int t = 0; t < texts.size(); t++) {
            assertThat(found(texts.get(t), fromGraph.get(t))).isEqualTo(found(texts.get(t), fromHeadFile.get(t)));
            for (int i = 0; i < fromGraph.get(t).size(); i++) {
                // ORT's MatMul and the head's Java loop sum in different orders: equal up to rounding.
                assertThat(fromGraph.get(t).get(i).score()).isCloseTo(fromHeadFile.get(t).get(i).score(), within(1e-4));
            }
        }
    }

    @Test
    void tokenStatesAreWhatTheHeadReads() {
        List<WindowHiddenStates> states = shipped.tokenStates(List.of(TEXTS.get(0)));

        assertThat(states).hasSize(1);
        WindowHiddenStates w = states.get(0);
        assertThat(w.hidden()).hasNumberOfRows(w.window().length());
        assertThat(w.hidden()[0]).hasSize(DIM);
    }
}
