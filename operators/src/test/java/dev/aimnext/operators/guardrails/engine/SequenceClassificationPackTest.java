package dev.aimnext.operators.guardrails.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Runs the sequence-classification path on a real ORT session: a hand-written ONNX graph whose
 * logits depend only on the window's token count, in an HF-layout pack without aim-pack.json.
 */
class SequenceClassificationPackTest {

    @TempDir
    Path dir;

    private InferenceEngine engine(String config, String manifest) throws IOException {
        Files.write(dir.resolve("model.onnx"), TinyOnnxClassifier.model(-0.1f, 0.1f, 0.5f, -0.5f));
        try (var in = MiniLmPack.tokenizer()) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        Files.writeString(dir.resolve("config.json"), config);
        if (manifest != null) {
            Files.writeString(dir.resolve("aim-pack.json"), manifest);
        }
        return InferenceEngine.open(ModelPack.load(dir), EngineSettings.defaults());
    }

    private static double logit(int tokens, int label) {
        return label == 0 ? -0.1 * tokens + 0.5 : 0.1 * tokens - 0.5;
    }

    @Test
    void singleLabelLogitsBecomeASoftmaxUnderId2label() throws IOException {
        try (InferenceEngine engine = engine("{\"id2label\":{\"0\":\"SAFE\",\"1\":\"INJECTION\"}}", null)) {
            List<TextScores> scores = engine.score(List.of("hi", "one two three four five six seven"));

            for (int t = 0; t < 2; t++) {
                int tokens = t == 0 ? 3 : 9; // [CLS] ... [SEP]
                double z0 = logit(tokens, 0);
                double z1 = logit(tokens, 1);
                double p1 = Math.exp(z1) / (Math.exp(z0) + Math.exp(z1));
                assertThat(scores.get(t).scores()).containsOnlyKeys("SAFE", "INJECTION");
                assertThat((double) scores.get(t).score("INJECTION")).isCloseTo(p1, within(1e-5));
                assertThat((double) scores.get(t).score("SAFE")).isCloseTo(1 - p1, within(1e-5));
            }
        }
    }

    @Test
    void multiLabelLogitsAreSigmoidsAndALongTextTakesItsHighestWindow() throws IOException {
        String config = "{\"problem_type\":\"multi_label_classification\",\"id2label\":{\"0\":\"calm\",\"1\":\"toxic\"}}";
        try (InferenceEngine engine = engine(config, "{\"max_length\":16,\"stride\":4}")) {
            String longText = "word ".repeat(30);
            TextScores s = engine.score(List.of(longText)).get(0);

            // Full windows hold 16 tokens and the last one fewer: "toxic" grows with length, so
            // its maximum is a full window's; "calm" shrinks, so its maximum is the short last window.
            assertThat(s.windows()).isGreaterThan(2);
            assertThat((double) s.score("toxic")).isCloseTo(1 / (1 + Math.exp(-logit(16, 1))), within(1e-5));
            assertThat((double) s.score("calm")).isGreaterThan(1 / (1 + Math.exp(-logit(16, 0))));
        }
    }
}
