package dev.aimnext.operators.finetune.spec;

import dev.aimnext.operators.finetune.plan.TrainingPlan;
import dev.aimnext.operators.finetune.plan.TrainingSizer;
import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The specs under {@code examples/finetune/}, parsed and sized in a copy of the repository layout
 * they expect (models/, data/, templates/ and ../shared/datasets), so the README walkthrough works.
 */
class ExampleSpecsTest {

    static final Path EXAMPLES = Path.of("..", "examples", "finetune");

    @TempDir
    Path dir;

    private Path repo;

    @BeforeEach
    void setUp() throws IOException {
        SpecWorkspace ws = new SpecWorkspace(dir.resolve("repo"));
        repo = ws.root();
        ws.model("llama-3.1-8b-instruct", "llama-3.1-8b");
        ws.model("mistral-7b-instruct-v0.3", "mistral-7b-v0.3");
        ws.model("phi-3-mini-4k-instruct", "phi-3-mini-4k-instruct");
        Files.createDirectories(repo.resolve("examples/finetune"));
        Path toy = dir.resolve("shared/datasets/finetune/openai_messages_toy_chat_fine_tuning.jsonl");
        Files.createDirectories(toy.getParent());
        Files.writeString(toy, "{\"messages\": []}\n");
        Files.writeString(repo.resolve("data/summaries.jsonl"), "{}\n");
        Files.createDirectories(repo.resolve("data/prepared/phi3-chat"));
        Files.writeString(repo.resolve("data/prepared/phi3-chat/manifest.json"), "{}");
    }

    private FineTuningJobSpec example(String name) throws IOException {
        Path copy = repo.resolve("examples/finetune").resolve(name);
        Files.copy(EXAMPLES.resolve(name), copy);
        return FineTuningJobParser.parse(copy);
    }

    @Test
    void llamaChatLoraExtendsChatAndRunsWithoutCheckpointingOn48GiB() throws IOException {
        FineTuningJobSpec spec = example("llama-3.1-8b-chat-lora.yaml");
        TrainingPlan plan = TrainingSizer.plan(spec, spec.baseModel().readShape());

        assertThat(spec.template()).isEqualTo("chat");
        assertThat(spec.hyperparameters().learningRate()).isEqualTo(1.0e-4);
        assertThat(spec.hyperparameters().lora().rank()).as("from chat.yaml").isEqualTo(16);
        assertThat(spec.dataset().format()).isEqualTo(DatasetInputFormat.OPENAI);
        assertThat(spec.dataset().prepare()).containsEntry("chat-template", "llama3").containsEntry("loss-on", "ASSISTANT");
        assertThat(plan.gradientCheckpointing()).isFalse();
        assertThat(plan.effectiveBatchSize()).isEqualTo(16);
    }

    @Test
    void mistralSummarizationTakesQloraFromItsTemplate() throws IOException {
        FineTuningJobSpec spec = example("mistral-7b-summarization-qlora.yaml");
        TrainingPlan plan = TrainingSizer.plan(spec, spec.baseModel().readShape());

        assertThat(spec.method()).isEqualTo(FinetuneMethod.QLORA);
        assertThat(spec.hyperparameters().lora().rank()).isEqualTo(8);
        assertThat(plan.targetModules()).containsExactly("q_proj", "k_proj", "v_proj", "o_proj");
        assertThat(spec.output().registry()).isEqualTo("harbor.example.com/aim-models/mistral-7b-summarization");
        assertThat(plan.gradientCheckpointing()).as("8192 tokens on 24 GiB").isTrue();
        assertThat(plan.effectiveBatchSize()).isEqualTo(32);
        assertThat(plan.predictedPeakBytes()).isLessThanOrEqualTo(plan.usableBytes());
    }

    @Test
    void phi3FullWritesEveryFieldOut() throws IOException {
        FineTuningJobSpec spec = example("phi-3-mini-full.yaml");
        TrainingPlan plan = TrainingSizer.plan(spec, spec.baseModel().readShape());

        assertThat(spec.template()).isNull();
        assertThat(spec.method()).isEqualTo(FinetuneMethod.FULL);
        assertThat(spec.hyperparameters().lora()).isNull();
        assertThat(spec.dataset().format().needsPreparation()).isFalse();
        assertThat(spec.output().path()).isEqualTo("s3://aim-models/phi-3-mini-full");
        assertThat(spec.checkpoint()).isEqualTo(new FineTuningJobSpec.CheckpointPolicy(100, 2, true));
        assertThat(plan.effectiveBatchSize()).isEqualTo(32);
        assertThat(plan.memory().trainableParameters()).isGreaterThan(3_800_000_000L);
    }
}
