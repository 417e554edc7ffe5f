package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.finetune.profile.adapter.LoraTarget;
import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.template.TemplateException;
import dev.aimnext.operators.finetune.template.TrainingTemplate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped templates load and validate completely, and a broken dataset section is caught at load. */
class TrainingTemplatesTest {

    private static final Path TEMPLATES = Path.of("..", "templates");

    @TempDir
    Path dir;

    @Test
    void theShippedTemplatesLoad() throws Exception {
        TrainingTemplate chat = TrainingTemplates.load(TEMPLATES.resolve("chat.yaml"));
        assertThat(chat.method()).isEqualTo(FinetuneMethod.LORA);
        assertThat(chat.lora().rank()).isEqualTo(16);
        assertThat(chat.targetsFor("llama")).contains(LoraTarget.GATE, LoraTarget.DOWN);
        assertThat(chat.targetsFor("mixtral")).containsExactlyInAnyOrder(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.O);
        assertThat(chat.targetsFor("unheard-of")).isEqualTo(chat.targetsFor("default"));
        assertThat(chat.hyperparameters().effectiveBatchSize()).isEqualTo(16);
        assertThat(DatasetOptions.settings(TrainingTemplates.datasetConfiguration(chat, "chat")).maxTokens()).isEqualTo(4096);

        TrainingTemplate code = TrainingTemplates.load(TEMPLATES.resolve("code.yaml"));
        assertThat(code.hyperparameters().maxSeqLen()).isEqualTo(8192);
        TrainingTemplate summarization = TrainingTemplates.load(TEMPLATES.resolve("summarization.yaml"));
        assertThat(summarization.method()).isEqualTo(FinetuneMethod.QLORA);
        assertThat(summarization.targetsFor("phi3")).contains(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.O);
    }

    @Test
    void aBadDatasetSectionFailsAtLoad() throws Exception {
        String chat = Files.readString(TEMPLATES.resolve("chat.yaml"));
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, chat.replace("  max-tokens: 4096", "  max_tokens: 4096"));
        assertThatThrownBy(() -> TrainingTemplates.load(typo))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unknown setting 'max_tokens'");
        Path badValue = dir.resolve("bad.yaml");
        Files.writeString(badValue, chat.replace("  eval-fraction: 0.05", "  eval-fraction: 1.5"));
        assertThatThrownBy(() -> TrainingTemplates.load(badValue))
                .hasMessageContaining("eval fraction must be in [0, 1), was 1.5");
    }
}
