package dev.aimnext.operators.dataset.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aimnext.operators.dataset.template.CharSpan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uses the all-MiniLM-L6-v2 (quantized) tokenizer.json shipped inside langchain4j's embedding
 * artifact, a BERT WordPiece tokenizer. The counts were computed once with it and pinned.
 */
class HfTokenizerCounterTest {

    private static final String RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";

    private static HfTokenizerCounter counter;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = resource()) {
            counter = HfTokenizerCounter.load(in);
        }
    }

    @AfterAll
    static void close() {
        counter.close();
    }

    private static InputStream resource() {
        InputStream in = HfTokenizerCounterTest.class.getClassLoader().getResourceAsStream(RESOURCE);
        assertThat(in).as(RESOURCE + " on the test class path").isNotNull();
        return in;
    }

    @Test
    void helloWorldIsTwoTokensWithoutSpecialTokens() {
        // With add_special_tokens=true BERT would add [CLS] and [SEP] and make it 4.
        assertThat(counter.count("hello world")).isEqualTo(2);
        assertThat(counter.ids("hello world")).containsExactly(7592, 2088);
    }

    @Test
    void pinnedCounts() {
        assertThat(counter.count("The quick brown fox jumps over the lazy dog.")).isEqualTo(10);
        assertThat(counter.count("Tokenization isn't always obvious: unbelievably, 42 tokens?")).isEqualTo(18);
        assertThat(counter.count("<|im_start|>user\nHi<|im_end|>\n")).isEqualTo(16);
        assertThat(counter.count("")).isZero();
    }

    @Test
    void specialTokensWrittenInTheTextCountOnceEach() {
        assertThat(counter.ids("[CLS] hello [SEP]")).containsExactly(101, 7592, 102);
    }

    @Test
    void longTextIsNotTruncated() {
        assertThat(counter.count("word ".repeat(1000))).isEqualTo(1000);
    }

    @Test
    void safeForConcurrentCounts() {
        String text = "The quick brown fox jumps over the lazy dog.";
        assertThat(IntStream.range(0, 2000).parallel().map(i -> counter.count(text)).distinct().toArray())
                .containsExactly(10);
    }

    @Test
    void tokenMaskFromCharSpans() {
        String text = "hello world again";
        // "world" is characters 6..11.
        assertThat(counter.tokenMask(text, List.of(new CharSpan(0, 6, 11)))).containsExactly(false, true, false);
    }

    @Test
    void loadsFromPathAndRefusesUseAfterClose(@TempDir Path dir) throws IOException {
        try (InputStream in = resource()) {
            Files.copy(in, dir.resolve("tokenizer.json"));
        }
        HfTokenizerCounter fromDir = HfTokenizerCounter.load(dir);
        assertThat(fromDir.count("hello world")).isEqualTo(2);
        fromDir.close();
        fromDir.close();
        assertThatThrownBy(() -> fromDir.count("hello")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HfTokenizerCounter.load(dir.resolve("missing"))).isInstanceOf(IOException.class);
    }
}
