package dev.aimnext.operators.guardrails.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowScoresTest {

    private static TokenWindow window(int text) {
        return new TokenWindow(text, new long[] {101, 102}, new long[] {0, 0});
    }

    @Test
    void takesThePerLabelMaximumOverATextsWindows() {
        List<TokenWindow> windows = List.of(window(0), window(1), window(1), window(1));
        float[][] scores = {{0.1f, 0.9f}, {0.2f, 0.3f}, {0.8f, 0.1f}, {0.5f, 0.6f}};

        float[][] perText = WindowScores.maxPerText(windows, scores, 2);

        assertThat(perText[0]).containsExactly(0.1f, 0.9f);
        assertThat(perText[1]).containsExactly(0.8f, 0.6f);
        assertThat(scores[1]).containsExactly(0.2f, 0.3f);
    }

    @Test
    void rejectsATextWithoutWindows() {
        assertThatThrownBy(() -> WindowScores.maxPerText(List.of(window(0)), new float[][] {{1f}}, 2))
                .hasMessageContaining("text 1 has no window");
    }
}
