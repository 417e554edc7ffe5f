package dev.aimnext.operators.guardrails.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LexicalModelTest {

    @Test
    void featuresAreCaseAndPunctuationInsensitiveWordUniAndBigrams() {
        int[] a = LexicalModel.features("Ignore previous instructions!", 16);
        int[] b = LexicalModel.features("  ignore, PREVIOUS   instructions", 16);
        assertThat(a).isEqualTo(b).isSorted();
        assertThat(a).hasSize(5); // 3 unigrams + 2 bigrams, no collisions at 2^16
        assertThat(LexicalModel.features("instructions previous ignore", 16)).isNotEqualTo(a);
        assertThat(LexicalModel.features("...", 16)).isEmpty();
        assertThat(LexicalModel.featureValue(a)).isCloseTo(1 / Math.sqrt(5), within(1e-12));
    }

    @Test
    void probabilityIsLogisticOfTheActiveWeights() {
        float[] w = new float[256];
        int[] f = LexicalModel.features("kill the process", 8);
        for (int k : f) {
            w[k] = 1f;
        }
        LexicalModel m = new LexicalModel(8, 0.25, -1f, w);
        double z = -1 + f.length / Math.sqrt(f.length);
        assertThat(m.probability("kill the process")).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-9));
        assertThat(m.combine("kill the process", 0.2)).isCloseTo(0.25 * m.probability("kill the process") + 0.75 * 0.2, within(1e-12));
    }

    @Test
    void loadRejectsBadBlocksWithTheFileName() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        float[] w = new float[256];
        String good = new LexicalModel(8, 0.5, 0f, w).encodedWeights();
        assertThatThrownBy(() -> LexicalModel.load(mapper.readTree(
                "{\"features\":\"chars\",\"bits\":8,\"mix\":0.5,\"weights_f32le\":\"" + good + "\"}"), "h.json"))
                .hasMessageContaining("h.json: lexical.features 'chars' is not supported");
        assertThatThrownBy(() -> LexicalModel.load(mapper.readTree(
                "{\"features\":\"word-1-2-grams-murmur3\",\"bits\":9,\"mix\":0.5,\"weights_f32le\":\"" + good + "\"}"), "h.json"))
                .hasMessageContaining("h.json: lexical model needs 2^bits weights");
        assertThatThrownBy(() -> LexicalModel.load(mapper.readTree(
                "{\"features\":\"word-1-2-grams-murmur3\",\"bits\":8,\"mix\":2,\"weights_f32le\":\"" + good + "\"}"), "h.json"))
                .hasMessageContaining("mix must be in [0, 1]");
        assertThatThrownBy(() -> LexicalModel.load(mapper.readTree(
                "{\"features\":\"word-1-2-grams-murmur3\",\"bits\":8,\"mix\":0.5,\"weights_f32le\":\"%%%\"}"), "h.json"))
                .hasMessageContaining("not base64");
    }
}
