package dev.aimnext.operators.guardrails.engine.token;

import dev.aimnext.operators.guardrails.engine.ModelPackException;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenFeaturesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void shapeFlagsComeFromTheOriginalTextNotTheLowerCasedTokens() {
        // [CLS] Sari J . PAAVO ##LAINEN 42 \n Bo [SEP]
        String text = "Sari J. PAAVOLAINEN 42\nBo";
        TokenOffsets offsets = new TokenOffsets(
                new int[] {-1, 0, 5, 6, 8, 13, 20, 23, -1},
                new int[] {-1, 4, 6, 7, 13, 19, 22, 25, -1},
                new int[] {-1, 0, 1, 2, 3, 3, 4, 5, -1});
        TokenFeatures features = new TokenFeatures(0, List.of(TokenFeatures.Shape.values()), 0);

        float[][] flags = features.shapeFlags(offsets, text);

        // order: upper_initial, all_upper, digit, continues, punctuation, prev_upper, next_upper, newline, initial
        assertThat(flags[0]).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(flags[1]).containsExactly(1, 0, 0, 0, 0, 0, 1, 0, 0); // Sari
        assertThat(flags[2]).containsExactly(1, 1, 0, 0, 0, 1, 0, 0, 1); // J (initial)
        assertThat(flags[3]).containsExactly(0, 0, 0, 0, 1, 1, 1, 0, 1); // . after the initial
        assertThat(flags[4]).containsExactly(1, 1, 0, 0, 0, 0, 1, 0, 0); // PAAVO
        assertThat(flags[5]).containsExactly(1, 1, 0, 1, 0, 1, 0, 0, 0); // ##LAINEN continues the word
        assertThat(flags[6]).containsExactly(0, 0, 1, 0, 0, 1, 1, 0, 0); // 42
        assertThat(flags[7]).containsExactly(1, 0, 0, 0, 0, 0, 0, 1, 0); // Bo after a line break
    }

    @Test
    void neighboursAreConcatenatedWithZerosPastTheWindowEdge() {
        TokenFeatures features = new TokenFeatures(1, List.of(TokenFeatures.Shape.HAS_DIGIT), 1);
        float[][] hidden = {{1, 2}, {3, 4}, {5, 6}, {9, 9}}; // row 3 is padding
        float[][] shapes = {{0}, {1}, {0}};
        float[] out = new float[features.dimension(2)];

        features.fill(hidden, 3, shapes, 2, out);

        // h[2], h[1], h[3] → zeros (padding is past the window), shape of 2, of 1, of 3 → 0
        assertThat(out).containsExactly(5, 6, 3, 4, 0, 0, 0, 1, 0);
        assertThat(features.dimension(384)).isEqualTo(3 * 384 + 3);
    }

    @Test
    void parsesTheHeadFileBlockAndNamesBadShapes() throws Exception {
        TokenFeatures parsed = TokenFeatures.parse(
                MAPPER.readTree("{\"context\": 2, \"shape\": [\"has_digit\", \"initial\"]}"), "ner.json");
        assertThat(parsed).isEqualTo(new TokenFeatures(2,
                List.of(TokenFeatures.Shape.HAS_DIGIT, TokenFeatures.Shape.INITIAL), 0));
        assertThat(TokenFeatures.parse(null, "ner.json")).isEqualTo(TokenFeatures.plain());

        assertThatThrownBy(() -> TokenFeatures.parse(MAPPER.readTree("{\"shape\": [\"is_cool\"]}"), "heads/ner.json"))
                .isInstanceOf(ModelPackException.class)
                .hasMessageContaining("heads/ner.json").hasMessageContaining("is_cool");
    }
}
