package dev.aimnext.operators.guardrails.engine.token;

import dev.aimnext.operators.guardrails.engine.TokenWindow;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WindowMergerTest {

    private static final BioLabels LABELS = BioAggregatorTest.LABELS;

    /**
     * Text "w0 w1 ... w9" (each word two characters plus a space); window A holds words 0-5, window
     * B words 3-9, so words 3, 4 and 5 are in both. [CLS]/[SEP] at both ends of each window.
     */
    private static AlignedWindow window(int text, int fromWord, int toWord) {
        int n = toWord - fromWord + 3;
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] words = new int[n];
        starts[0] = ends[0] = words[0] = -1;
        starts[n - 1] = ends[n - 1] = words[n - 1] = -1;
        for (int w = fromWord; w <= toWord; w++) {
            int p = w - fromWord + 1;
            starts[p] = 3 * w;
            ends[p] = 3 * w + 2;
            words[p] = w;
        }
        return new AlignedWindow(new TokenWindow(text, new long[n], new long[n]), new TokenOffsets(starts, ends, words));
    }

    /** Probabilities for one window: B-PER at word {@code begin}, I-PER up to {@code last}, O elsewhere. */
    private static float[][] tags(int fromWord, int toWord, int begin, int last) {
        int n = toWord - fromWord + 3;
        float[][] p = new float[n][];
        for (int t = 0; t < n; t++) {
            int word = fromWord + t - 1;
            String label = word == begin ? "B-PER" : (word > begin && word <= last ? "I-PER" : "O");
            p[t] = BioAggregatorTest.token(0, 1, 0, label).probabilities();
        }
        return p;
    }

    @Test
    void eachTokenOfTheOverlapIsTakenOnceFromTheWindowWhereItHasMoreContext() {
        List<AlignedWindow> windows = List.of(window(0, 0, 5), window(0, 3, 9));

        List<WindowMerger.TokenRef> picks = WindowMerger.pick(windows, 1).get(0);

        assertThat(picks).hasSize(10);
        // Margin = distance to the nearer edge of the window.
        // Word 3: A = min(3, 2) = 2, B = min(0, 6) = 0 → A.
        // Word 4: A = min(4, 1) = 1, B = min(1, 5) = 1 → tie, the earlier window (A).
        // Word 5: A = min(5, 0) = 0, B = min(2, 4) = 2 → B.
        assertThat(picks.get(3)).isEqualTo(new WindowMerger.TokenRef(0, 4));
        assertThat(picks.get(4)).isEqualTo(new WindowMerger.TokenRef(0, 5));
        assertThat(picks.get(5)).isEqualTo(new WindowMerger.TokenRef(1, 3));
        assertThat(picks.get(9)).isEqualTo(new WindowMerger.TokenRef(1, 7));
    }

    @Test
    void anEntityInTheOverlapIsFoundOnceNotOncePerWindow() {
        String text = "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9";
        List<AlignedWindow> windows = List.of(window(0, 0, 5), window(0, 3, 9));
        // Both windows see a person on words 3-5.
        List<float[][]> probabilities = List.of(tags(0, 5, 3, 5), tags(3, 9, 3, 5));

        List<List<EntitySpan>> spans = TokenTagger.entities(LABELS, List.of(text), windows, probabilities);

        assertThat(spans.get(0)).extracting(s -> text.substring(s.start(), s.end())).containsExactly("w3 w4 w5");
    }

    @Test
    void textsKeepTheirOwnWindows() {
        List<AlignedWindow> windows = List.of(window(0, 0, 2), window(1, 0, 1));

        List<List<WindowMerger.TokenRef>> picks = WindowMerger.pick(windows, 2);

        assertThat(picks.get(0)).extracting(WindowMerger.TokenRef::window).containsOnly(0).hasSize(3);
        assertThat(picks.get(1)).extracting(WindowMerger.TokenRef::window).containsOnly(1).hasSize(2);
    }
}
