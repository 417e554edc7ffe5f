package dev.aimnext.operators.guardrails.train;

import dev.aimnext.operators.guardrails.engine.LexicalModel;
import dev.aimnext.operators.guardrails.engine.LinearHead;
import dev.aimnext.operators.guardrails.eval.BinaryMetrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class HeadFileTest {

    @TempDir
    Path dir;

    private static float[] lexicalWeights() {
        float[] w = new float[256];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 7 - 3) / 3f;
        }
        return w;
    }

    @Test
    void writtenHeadLoadsBackWithTheSameNumbersAndTheSameBytes() {
        float[] weights = new float[20];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) Math.sin(i) / 7f;
        }
        HeadTrainer.Result result = new HeadTrainer.Result(GuardrailTask.PROMPT_INJECTION,
                new LogisticRegression.Model(weights, -0.123456789f),
                new LexicalModel(8, 0.5, 0.25f, lexicalWeights()),
                new BinaryMetrics(0.873219, 90, 2, 98, 10), 0.97, 800, 200,
                List.of("injection_a.jsonl (500 of 500 rows)"));

        String content = HeadFile.render(result, "enc-mean-256", 42);
        Path file = dir.resolve("heads/prompt_injection.json");
        HeadFile.write(file, content);
        LinearHead head = LinearHead.load(file);

        assertThat(head.name()).isEqualTo("prompt_injection");
        assertThat(head.labels()).containsExactly("injection");
        assertThat(head.weights()[0]).containsExactly(weights);
        assertThat(head.bias()[0]).isEqualTo(-0.123456789f);
        assertThat(head.threshold()).isCloseTo(0.8732, within(1e-12));
        assertThat(head.lexical().weights()).containsExactly(lexicalWeights());
        assertThat(head.lexical().mix()).isEqualTo(0.5);
        assertThat(head.lexical().bias()).isEqualTo(0.25f);
        assertThat(HeadFile.render(result, "enc-mean-256", 42)).isEqualTo(content);
        assertThat(content).contains("\"seed\": 42", "\"validation_rows\": 200", "injection_a.jsonl (500 of 500 rows)");
    }
}
