package dev.aimnext.operators.guardrails.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScoreActivationTest {

    @TempDir
    Path dir;

    private ModelPack packWithConfig(String config) throws IOException {
        Files.write(dir.resolve("model.onnx"), new byte[] {1});
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.writeString(dir.resolve("config.json"), config);
        return ModelPack.load(dir);
    }

    @Test
    void singleLabelPackTakesASoftmaxOverId2labelInIdOrder() throws IOException {
        ModelPack pack = packWithConfig("{\"id2label\":{\"1\":\"INJECTION\",\"0\":\"SAFE\"}}");

        assertThat(pack.labels()).containsExactly("SAFE", "INJECTION");
        assertThat(pack.activation()).isEqualTo(ScoreActivation.SOFTMAX);
        float[] s = pack.activation().apply(new float[] {1f, 3f});
        double e = Math.exp(2);
        assertThat(s[1]).isCloseTo((float) (e / (1 + e)), within(1e-6f));
        assertThat(s[0] + s[1]).isCloseTo(1f, within(1e-6f));
    }

    @Test
    void multiLabelPackScoresEachLabelWithASigmoid() throws IOException {
        ModelPack pack = packWithConfig("{\"problem_type\":\"multi_label_classification\","
                + "\"id2label\":{\"0\":\"toxic\",\"1\":\"insult\",\"2\":\"threat\"}}");

        assertThat(pack.labels()).containsExactly("toxic", "insult", "threat");
        assertThat(pack.activation()).isEqualTo(ScoreActivation.SIGMOID);
        float[] s = pack.activation().apply(new float[] {0f, 2f, -2f});
        assertThat(s[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(s[1]).isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-6f));
        assertThat(s[2]).isCloseTo((float) (1 / (1 + Math.exp(2))), within(1e-6f));
    }

    @Test
    void softmaxStaysFiniteOnLargeLogits() {
        float[] s = ScoreActivation.SOFTMAX.apply(new float[] {1000f, 999f});
        assertThat(s[0]).isCloseTo((float) (1 / (1 + Math.exp(-1))), within(1e-6f));
    }
}
