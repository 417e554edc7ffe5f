package dev.aimnext.operators.guardrails.engine.token;

import dev.aimnext.operators.guardrails.engine.WindowedTokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenOffsetsTest {

    private static List<String> pieces(String text, AlignedWindow w) {
        List<String> out = new ArrayList<>();
        TokenOffsets o = w.offsets();
        for (int t = 0; t < o.length(); t++) {
            out.add(o.special(t) ? "<s>" : text.substring(o.starts()[t], o.ends()[t]) + "/" + o.wordIds()[t]);
        }
        return out;
    }

    @Test
    void offsetsAreUtf16IndicesEvenAfterCharactersOutsideTheBmp() throws Exception {
        // The tokenizer counts code points; the emoji is two UTF-16 chars, so without conversion
        // every offset after it would be one short.
        String text = "Hi 😀 Krisztián Szöllösy!";
        try (WindowedTokenizer tokenizer = WindowedTokenizer.load(NerTestPacks.tokenizer(), 64, 0)) {
            List<AlignedWindow> windows = tokenizer.alignedWindows(List.of(text));

            assertThat(windows).hasSize(1);
            // Uncased tokenizer: pieces are lower-cased, offsets point at the original characters.
            assertThat(pieces(text, windows.get(0))).containsExactly(
                    "<s>", "Hi/0", "😀/1", "Kris/2", "z/2", "tián/2", "S/3", "zö/3", "llö/3", "sy/3", "!/4", "<s>");
        }
    }

    @Test
    void overflowWindowsCarryOffsetsIntoTheWholeTextAndConsistentWordIds() throws Exception {
        String text = "one two three four five six seven eight nine ten eleven twelve";
        try (WindowedTokenizer tokenizer = WindowedTokenizer.load(NerTestPacks.tokenizer(), 8, 2)) {
            List<AlignedWindow> windows = tokenizer.alignedWindows(List.of(text));

            assertThat(windows.size()).isGreaterThan(1);
            // Window 2 starts with the last two real tokens of window 1 (stride 2).
            assertThat(pieces(text, windows.get(1)).subList(1, 3)).isEqualTo(pieces(text, windows.get(0)).subList(5, 7));
            List<WindowMerger.TokenRef> merged = WindowMerger.pick(windows, 1).get(0);
            List<String> words = new ArrayList<>();
            for (WindowMerger.TokenRef r : merged) {
                TokenOffsets o = windows.get(r.window()).offsets();
                words.add(text.substring(o.starts()[r.position()], o.ends()[r.position()]));
            }
            assertThat(String.join(" ", words)).isEqualTo(text);
        }
    }
}
