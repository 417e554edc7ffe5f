package dev.aimnext.operators.finetune.template;

import dev.aimnext.operators.finetune.profile.adapter.LoraTarget;
import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;

import org.junit.jupiter.api.Test;

import java.io.StringReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingTemplateParserTest {

    private static final String VALID = """
            name: t
            method: lora
            hyperparameters:
              learning_rate: 2.0e-4
              max_seq_len: 1024
            lora:
              rank: 8
              targets:
                phi3: [qkv, o]
                default: [q, v]
            dataset:
              max-tokens: 1024
            """;

    private static TrainingTemplate parse(String yaml) {
        return TrainingTemplateParser.parse(new StringReader(yaml), "t.yaml");
    }

    @Test
    void defaultsFillWhatTheTemplateLeavesOut() {
        TrainingTemplate t = parse(VALID);
        assertThat(t.method()).isEqualTo(FinetuneMethod.LORA);
        assertThat(t.lora().alpha()).as("alpha defaults to 2r").isEqualTo(16);
        assertThat(t.lora().dropout()).isEqualTo(0.05);
        assertThat(t.hyperparameters().epochs()).isEqualTo(3);
        assertThat(t.hyperparameters().lrScheduler()).isEqualTo("cosine");
        assertThat(t.hyperparameters().gradientCheckpointing()).isTrue();
        assertThat(t.targetsFor("phi3")).containsExactlyInAnyOrder(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.O);
        assertThat(t.targetsFor("llama")).containsExactlyInAnyOrder(LoraTarget.Q, LoraTarget.V);
        assertThat(t.dataset()).containsEntry("max-tokens", "1024");
    }

    @Test
    void everyMistakeIsNamed() {
        assertThatThrownBy(() -> parse(VALID.replace("name: t", "nmae: t")))
                .isInstanceOf(TemplateException.class)
                .hasMessage("t.yaml: unknown key 'nmae' in the top level; known: dataset, description, hyperparameters, "
                        + "lora, method, name");
        assertThatThrownBy(() -> parse(VALID.replace("learning_rate: 2.0e-4", "learning_rate: 3")))
                .hasMessageContaining("hyperparameters.learning_rate must be a number in");
        assertThatThrownBy(() -> parse(VALID.replace("rank: 8", "rank: 0")))
                .hasMessageContaining("lora.rank must be a whole number in [1, 1024], was '0'");
        assertThatThrownBy(() -> parse(VALID.replace("    default: [q, v]\n", "")))
                .hasMessageContaining("lora.targets needs a 'default' entry");
        assertThatThrownBy(() -> parse(VALID.replace("[q, v]", "[q, mlp]")))
                .hasMessageContaining("lora.targets.default: unknown LoRA target 'mlp'");
        assertThatThrownBy(() -> parse(VALID.replace("method: lora", "method: full")))
                .hasMessageContaining("a lora: section does nothing with method full");
        assertThatThrownBy(() -> parse(VALID.replace("method: lora", "method: dora")))
                .hasMessageContaining("method:");
        assertThatThrownBy(() -> parse("name: [")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> parse(VALID.replace("  max_seq_len: 1024", "  max_seq_len: 1024\n  lr_scheduler: step")))
                .hasMessageContaining("lr_scheduler must be cosine, linear or constant");
    }

    @Test
    void fullFineTuningNeedsNoLoraSection() {
        TrainingTemplate t = parse("""
                name: full
                method: full
                hyperparameters:
                  learning_rate: 1.0e-5
                """);
        assertThat(t.lora()).isNull();
        assertThat(t.targetsByArchitecture()).isEmpty();
    }
}
