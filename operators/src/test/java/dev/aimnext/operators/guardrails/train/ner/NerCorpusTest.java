package dev.aimnext.operators.guardrails.train.ner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NerCorpusTest {

    @TempDir
    Path dir;

    @Test
    void readsSpansAndNamesTheLineOfABadOne() throws IOException {
        Path file = dir.resolve("pii.jsonl");
        Files.writeString(file, "{\"text\":\"I am Bo\",\"spans\":[{\"start\":5,\"end\":7,\"type\":\"PERSON\"}],\"source\":\"x\"}\n\n"
                + "{\"text\":\"secret Bo\",\"spans\":[{\"start\":7,\"end\":12,\"type\":\"PERSON\"}]}\n");

        assertThatThrownBy(() -> NerCorpus.read(file))
                .hasMessageContaining("pii.jsonl:3").hasMessageContaining("past the text")
                .hasMessageNotContaining("secret");

        Files.writeString(file, "{\"text\":\"I am Bo\",\"spans\":[{\"start\":5,\"end\":7,\"type\":\"PERSON\"}]}\n");
        List<NerExample> examples = NerCorpus.read(file);
        assertThat(examples).containsExactly(new NerExample("I am Bo", List.of(new NerExample.Span(5, 7, "PERSON"))));
        assertThat(NerCorpus.readEitherFormat(file)).isEqualTo(examples);
    }

    @Test
    void textOnlyFilesReadAsEntityFreeExamples() throws IOException {
        Path file = dir.resolve("benign.jsonl");
        Files.writeString(file, "{\"text\":\"reset my pin\",\"label\":\"benign\"}\n{\"label\":\"benign\"}\n");

        assertThatThrownBy(() -> NerCorpus.readNegatives(file)).hasMessageContaining("benign.jsonl:2");
        Files.writeString(file, "{\"text\":\"reset my pin\",\"label\":\"benign\"}\n");
        assertThat(NerCorpus.readEitherFormat(file)).containsExactly(new NerExample("reset my pin", List.of()));
    }
}
