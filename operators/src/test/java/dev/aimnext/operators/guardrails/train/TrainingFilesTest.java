package dev.aimnext.operators.guardrails.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingFilesTest {

    @TempDir
    Path dir;

    @Test
    void readsLabelsOfTheTask() throws IOException {
        Path f = write("toxicity_a.jsonl", """
                {"text": "you are awful", "label": "toxic", "source": "x"}

                {"text": "nice day", "label": "ok", "source": "x#y"}
                """);
        List<LabeledText> rows = TrainingFiles.read(f, GuardrailTask.TOXICITY);
        assertThat(rows).containsExactly(
                new LabeledText("you are awful", true, "toxicity_a.jsonl"),
                new LabeledText("nice day", false, "toxicity_a.jsonl"));
    }

    @Test
    void listsOnlyTheTasksFilesInNameOrder() throws IOException {
        write("toxicity_b.jsonl", "");
        write("toxicity_a.jsonl", "");
        write("injection_a.jsonl", "");
        write("toxicity_notes.txt", "");
        assertThat(TrainingFiles.of(dir, GuardrailTask.TOXICITY))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("toxicity_a.jsonl", "toxicity_b.jsonl");
        assertThatThrownBy(() -> TrainingFiles.of(dir.resolve("missing"), GuardrailTask.TOXICITY))
                .hasMessageContaining("training data folder not found");
    }

    @Test
    void everyBadLineFailsWithFileAndLine() throws IOException {
        assertBad("{\"text\": \"a\", \"label\": \"benign\", \"source\": \"x\"}", ":1: label 'benign' is neither toxic nor one of [ok]");
        assertBad("{\"text\": \"a\", \"label\": \"ok\", \"source\": \"x\", \"extra\": 1}", ":1: unknown key 'extra'");
        assertBad("{\"text\": \"\", \"label\": \"ok\"}", ":1: 'text' must be a non-empty string");
        assertBad("{\"text\": \"a\", \"label\": 1}", ":1: 'label' must be a string");
        assertBad("[1, 2]", ":1: not a JSON object");
        assertBad("{\"text\": ", ":1: not JSON");
    }

    private void assertBad(String line, String message) throws IOException {
        Path f = write("toxicity_bad.jsonl", line + "\n");
        assertThatThrownBy(() -> TrainingFiles.read(f, GuardrailTask.TOXICITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("toxicity_bad.jsonl" + message);
    }

    @Test
    void taskNamesParse() {
        assertThat(GuardrailTask.parse("prompt_injection")).isEqualTo(GuardrailTask.PROMPT_INJECTION);
        assertThat(GuardrailTask.parse("injection")).isEqualTo(GuardrailTask.PROMPT_INJECTION);
        assertThat(GuardrailTask.parse("Toxicity")).isEqualTo(GuardrailTask.TOXICITY);
        assertThatThrownBy(() -> GuardrailTask.parse("nsfw")).hasMessageContaining("unknown guardrail 'nsfw'");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
