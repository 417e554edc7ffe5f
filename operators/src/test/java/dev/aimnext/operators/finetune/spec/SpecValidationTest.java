package dev.aimnext.operators.finetune.spec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** One mistake at a time: each bad spec gets exactly its own error, with the field path. */
class SpecValidationTest {

    private static final String VALID = """
            apiVersion: aim.amd.com/v1alpha1
            kind: FineTuningJob
            metadata:
              name: job
            spec:
              task: causal_lm
              baseModel:
                modelId: meta-llama/Llama-3.1-8B
                path: ../models/llama
              method: lora
              dataset:
                source: ../data/chat.jsonl
                format: openai
              hyperparameters:
                learningRate: 2.0e-4
                batchSize: 16
                maxSeqLen: 4096
                loraRank: 16
              output:
                path: ../out
              resources:
                gpuMemoryGb: 48
            """;

    @TempDir
    Path dir;

    private SpecWorkspace ws;

    @BeforeEach
    void setUp() {
        ws = new SpecWorkspace(dir);
        ws.model("llama", "llama-3.1-8b");
        ws.model("phi3", "phi-3-mini-4k-instruct");
    }

    private List<String> errors(String yaml) {
        return catchThrowableOfType(() -> ws.parse("job.yaml", yaml), SpecException.class).errors();
    }

    @Test
    void theBaseSpecIsValid() {
        assertThat(ws.parse("job.yaml", VALID).name()).isEqualTo("job");
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            kind: FineTuningJob                |kind: TrainingJob                      |kind: must be FineTuningJob, was 'TrainingJob'
            name: job                          |name: job-                             |metadata.name: must be at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit (a Kubernetes name), was 'job-'
            task: causal_lm                    |task: regression                       |spec.task: must be one of causal_lm, sequence_classification, was 'regression'
            method: lora                       |method: LoRA-XL                        |spec.method: must be one of full, lora, qlora, was 'LoRA-XL'
            task: causal_lm                    |taks: causal_lm                        |spec.taks: unknown field; known here: baseModel, checkpoint, dataset, hyperparameters, method, output, resources, task, template
            format: openai                     |format: classification                 |spec.dataset.format: classification data needs spec.task: sequence_classification
            loraRank: 16                       |loraRank: 2048                         |spec.hyperparameters.loraRank: must be a whole number in [1, 1024], was 2048
            loraRank: 16                       |loraAlpha: 0                           |spec.hyperparameters.loraAlpha: must be a whole number in [1, 4096], was 0
            loraRank: 16                       |targetModules: q_proj                  |spec.hyperparameters.targetModules: must be a list such as [q_proj, v_proj] or lists per model_type, was 'q_proj'
            loraRank: 16                       |targetModules: {llama: [q, v]}         |spec.hyperparameters.targetModules: needs a 'default' entry for architectures without their own
            loraRank: 16                       |targetModules: []                      |spec.hyperparameters.targetModules: must name at least one module
            loraRank: 16                       |lrScheduler: step                      |spec.hyperparameters.lrScheduler: must be one of cosine, linear, constant, was 'step'
            loraRank: 16                       |precision: fp16                        |spec.hyperparameters.precision: must be one of bf16, fp32, was 'fp16'
            loraRank: 16                       |warmupRatio: 0.8                       |spec.hyperparameters.warmupRatio: must be in [0, 0.5], was 0.8
            loraRank: 16                       |maxSteps: 0                            |spec.hyperparameters.maxSteps: must be a whole number in [1, 1000000000], was 0
            learningRate: 2.0e-4               |learningRate: fast                     |spec.hyperparameters.learningRate: must be a number in (0, 0.01], was 'fast'
            learningRate: 2.0e-4               |learningRate: 0                        |spec.hyperparameters.learningRate: must be in (0, 0.01], was 0
            learningRate: 2.0e-4               |learningRate: 3                        |spec.hyperparameters.learningRate: must be in (0, 0.01], was 3
            learningRate: 2.0e-4               |warmupRatio: 0.1                       |spec.hyperparameters.learningRate: is required (or extend a template that sets it)
            maxSeqLen: 4096                    |maxSeqLen: 32                          |spec.hyperparameters.maxSeqLen: must be a whole number in [64, 1048576], was 32
            maxSeqLen: 4096                    |maxSeqLen: 262144                      |spec.hyperparameters.maxSeqLen: 262144 is longer than the model's max_position_embeddings 131072
            path: ../out                       |registry: not a registry               |spec.output.registry: must be a registry reference such as harbor.example.com/aim-models or hf://org/name, was 'not a registry'
            path: ../out                       |path: ../out ;; registry: hf://a/b     |spec.output.registry: path and registry exclude each other; keep one
            path: ../out                       |path: ../out ;; mergeWeights: yes please|spec.output.mergeWeights: must be true or false, was 'yes please'
            gpuMemoryGb: 48                    |gpuMemoryGb: 48GB                      |spec.resources.gpuMemoryGb: must be a number in (0, 4096], was '48GB'
            gpuMemoryGb: 48                    |gpus: 2                                |spec.resources.gpuMemoryGb: is required: the memory of each GPU or partition, in GiB
            """)
    void eachMistakeIsReportedAtItsField(String from, String to, String expected) {
        // " ;; " starts a new line in the same section
        String yaml = VALID.replace(from, to.replace(" ;; ", "\n    "));
        assertThat(yaml).isNotEqualTo(VALID);
        assertThat(errors(yaml)).containsExactly(expected);
    }

    @Test
    void fullFineTuningRefusesAdapterSettings() {
        String yaml = VALID.replace("method: lora", "method: full")
                .replace("loraRank: 16", "loraRank: 16\n    targetModules: [q, v]")
                .replace("path: ../out", "path: ../out\n    mergeWeights: true");
        assertThat(errors(yaml)).containsExactly(
                "spec.hyperparameters.loraRank: has no effect with method full; remove it or use lora or qlora",
                "spec.hyperparameters.targetModules: has no effect with method full; remove it or use lora or qlora",
                "spec.output.mergeWeights: has no effect with method full: the output already is the whole model");
    }

    @Test
    void modelFolderMustHoldConfigAndTokenizer() throws Exception {
        Files.delete(dir.resolve("models/llama/tokenizer.json"));
        Files.writeString(dir.resolve("models/llama/config.json"), "{\"model_type\": \"llama\"}");
        assertThat(errors(VALID)).containsExactly(
                "spec.baseModel.path: no tokenizer.json in " + dir.resolve("models/llama"),
                "spec.baseModel.path: " + dir.resolve("models/llama/config.json")
                        + " is missing required field 'hidden_size'");
    }

    @Test
    void inheritedMaxSeqLenIsCheckedAgainstTheModelToo() {
        String yaml = VALID.replace("task: causal_lm", "template: code").replace("path: ../models/llama", "path: ../models/phi3")
                .replace("    maxSeqLen: 4096\n", "");
        assertThat(errors(yaml)).containsExactly("spec.hyperparameters.maxSeqLen: 8192 (from template code) is longer "
                + "than the model's max_position_embeddings 4096");
    }

    @Test
    void unknownTemplateNamesTheKnownOnesAndDoesNotCascade() {
        String yaml = VALID.replace("task: causal_lm", "template: chatt").replace("  method: lora\n", "")
                .replace("    learningRate: 2.0e-4\n", "");
        assertThat(errors(yaml)).containsExactly("spec.template: no template 'chatt'; known: chat, code, summarization");
    }

    @Test
    void methodIsRequiredWithoutATemplate() {
        assertThat(errors(VALID.replace("  method: lora\n", "")))
                .containsExactly("spec.method: is required: lora, qlora or full (or extend a template that sets it)");
    }

    @Test
    void preparedDataMustBeTheDatasetJobsOutput() throws Exception {
        Files.createDirectories(dir.resolve("data/prepared"));
        String yaml = VALID.replace("source: ../data/chat.jsonl", "source: ../data/prepared").replace("format: openai", "format: prepared");
        assertThat(errors(yaml)).containsExactly("spec.dataset.source: format prepared needs the dataset job's output "
                + "folder, but " + dir.resolve("data/prepared") + " has no manifest.json");
        Files.writeString(dir.resolve("data/prepared/manifest.json"), "{}");
        assertThat(ws.parse("job.yaml", yaml).dataset().format().needsPreparation()).isFalse();
    }

    @Test
    void missingSectionsAndBrokenFilesAreNamed() {
        assertThat(errors("apiVersion: aim.amd.com/v1alpha1\nkind: FineTuningJob\nmetadata: {name: x}\n"))
                .contains("spec: is required", "spec.baseModel.modelId: is required", "spec.dataset.source: is required");
        assertThatThrownBy(() -> ws.parse("job.yaml", "spec: [unclosed"))
                .isInstanceOf(SpecException.class).hasMessageContaining("(file): not valid YAML");
        assertThat(errors("- a list\n")).containsExactly("(file): expected a FineTuningJob mapping (apiVersion, kind, "
                + "metadata, spec), was a list");
    }
}
