package dev.aimnext.operators.guardrails.engine;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WindowedTokenizerTest {

    private static final long CLS = 101;
    private static final long SEP = 102;

    private static WindowedTokenizer tokenizer(int maxLength, int stride) throws IOException {
        return WindowedTokenizer.load(MiniLmPack.tokenizer(), maxLength, stride);
    }

    @Test
    void padsToTheLongestTextOfTheBatchWithAMaskOverRealTokens() throws IOException {
        try (WindowedTokenizer tok = tokenizer(128, 16)) {
            List<TokenWindow> windows = tok.windows(List.of("hi", "the quick brown fox jumps over the lazy dog"));
            PaddedBatch batch = PaddedBatch.of(windows, 0);

            int shortLen = windows.get(0).length();
            int longLen = windows.get(1).length();
            assertThat(shortLen).isEqualTo(3); // [CLS] hi [SEP]
            assertThat(longLen).isGreaterThan(shortLen).isLessThan(128);
            assertThat(batch.size()).isEqualTo(2);
            assertThat(batch.width()).isEqualTo(longLen);
            assertThat(batch.inputIds()[0]).startsWith(CLS).contains(SEP);
            assertThat(Arrays.stream(batch.attentionMask()[0]).sum()).isEqualTo(shortLen);
            assertThat(Arrays.copyOfRange(batch.attentionMask()[0], shortLen, longLen)).containsOnly(0L);
            assertThat(Arrays.copyOfRange(batch.inputIds()[0], shortLen, longLen)).containsOnly(0L);
            assertThat(batch.attentionMask()[1]).containsOnly(1L);
            assertThat(batch.tokenTypeIds()[1]).containsOnly(0L);
        }
    }

    @Test
    void splitsALongTextIntoOverlappingWindowsWithinMaxLength() throws IOException {
        int maxLength = 16;
        int stride = 4;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            text.append("word").append(i).append(' ');
        }
        try (WindowedTokenizer tok = tokenizer(maxLength, stride)) {
            List<TokenWindow> windows = tok.windows(List.of("short one", text.toString()));

            assertThat(windows.get(0).textIndex()).isZero();
            List<TokenWindow> longOnes = windows.subList(1, windows.size());
            assertThat(longOnes).hasSizeGreaterThan(2).allMatch(w -> w.textIndex() == 1)
                    .allMatch(w -> w.length() <= maxLength);
            for (TokenWindow w : longOnes) {
                assertThat(w.ids()[0]).isEqualTo(CLS);
                assertThat(w.ids()[w.length() - 1]).isEqualTo(SEP);
            }
            for (int k = 0; k + 1 < longOnes.size(); k++) {
                long[] prev = longOnes.get(k).ids();
                long[] next = longOnes.get(k + 1).ids();
                long[] prevTail = Arrays.copyOfRange(prev, prev.length - 1 - stride, prev.length - 1);
                long[] nextHead = Arrays.copyOfRange(next, 1, 1 + stride);
                assertThat(nextHead).as("window %d repeats the last %d tokens of window %d", k + 1, stride, k)
                        .isEqualTo(prevTail);
            }
        }
    }
}
