package dev.aimnext.operators.guardrails.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Dynamic padding by default; the fixed-length option only the engine benchmark uses. */
class PaddedBatchTest {

    private static TokenWindow window(long... ids) {
        return new TokenWindow(0, ids, new long[ids.length]);
    }

    @Test
    void dynamicPaddingStopsAtTheLongestWindow() {
        PaddedBatch batch = PaddedBatch.of(List.of(window(101, 7, 102), window(101, 102)), 0);
        assertThat(batch.width()).isEqualTo(3);
        assertThat(batch.inputIds()[1]).containsExactly(101, 102, 0);
        assertThat(batch.attentionMask()[1]).containsExactly(1, 1, 0);
    }

    @Test
    void fixedPaddingPadsEveryRowToTheLengthAndMasksThePadding() {
        PaddedBatch batch = PaddedBatch.of(List.of(window(101, 7, 102), window(101, 102)), 9, 6);
        assertThat(batch.width()).isEqualTo(6);
        assertThat(batch.inputIds()[0]).containsExactly(101, 7, 102, 9, 9, 9);
        assertThat(batch.attentionMask()[0]).containsExactly(1, 1, 1, 0, 0, 0);
        assertThat(batch.attentionMask()[1]).containsExactly(1, 1, 0, 0, 0, 0);
        // A window longer than the fixed length is never cut.
        assertThat(PaddedBatch.of(List.of(window(1, 2, 3, 4)), 0, 2).width()).isEqualTo(4);
    }

    @Test
    void settingsCarryThePadLengthAndDefaultToDynamic() {
        EngineSettings d = EngineSettings.defaults();
        assertThat(d.padToLength()).isZero();
        EngineSettings fixed = d.withPadToLength(128);
        assertThat(fixed.padToLength()).isEqualTo(128);
        assertThat(fixed.withProvider(ExecutionProvider.CPU).padToLength()).isEqualTo(128);
        assertThat(fixed).isNotEqualTo(d);
    }
}
