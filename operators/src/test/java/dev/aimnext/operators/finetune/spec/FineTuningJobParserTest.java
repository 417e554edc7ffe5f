package dev.aimnext.operators.finetune.spec;

import dev.aimnext.operators.finetune.profile.adapter.LoraTarget;
import dev.aimnext.operators.finetune.profile.memory.FinetuneMethod;
import dev.aimnext.operators.finetune.profile.model.PublishedConfigs;
import dev.aimnext.operators.finetune.profile.model.WeightDtype;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FineTuningJobParserTest {

    @TempDir
    Path dir;

    private SpecWorkspace ws;

    @BeforeEach
    void setUp() {
        ws = new SpecWorkspace(dir);
        ws.model("llama", "llama-3.1-8b");
        ws.model("phi3", "phi-3-mini-4k-instruct");
    }

    @Test
    void specExtendingChatInheritsWhatItLeavesOut() {
        FineTuningJobSpec spec = ws.parse("job.yaml", SpecWorkspace.llamaChat(List.of("learningRate: 1.0e-4"), 48));

        assertThat(spec.name()).isEqualTo("llama-chat");
        assertThat(spec.template()).isEqualTo("chat");
        assertThat(spec.method()).as("from the template").isEqualTo(FinetuneMethod.LORA);
        assertThat(spec.task()).isEqualTo(TrainingTask.CAUSAL_LM);
        JobHyperparameters h = spec.hyperparameters();
        assertThat(h.learningRate()).as("the spec's own").isEqualTo(1.0e-4);
        assertThat(h.batchSize()).as("template micro 4 x accumulation 4").isEqualTo(16);
        assertThat(h.epochs()).isEqualTo(3);
        assertThat(h.maxSeqLen()).isEqualTo(4096);
        assertThat(h.seed()).isEqualTo(42);
        assertThat(h.lrScheduler()).isEqualTo("cosine");
        assertThat(h.warmupRatio()).isEqualTo(0.03);
        assertThat(h.precision()).isEqualTo(WeightDtype.BF16);
        assertThat(h.gradientCheckpointing()).as("the sizer decides, not the template")
                .isEqualTo(GradientCheckpointing.AUTO);
        assertThat(h.lora().rank()).isEqualTo(16);
        assertThat(h.lora().alpha()).isEqualTo(32);
        assertThat(h.lora().dropout()).isEqualTo(0.05);
        assertThat(h.lora().targetModules(PublishedConfigs.shape("llama-3.1-8b")))
                .containsExactly("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");
        assertThat(h.lora().targetModules(PublishedConfigs.shape("phi-3-mini-4k-instruct")))
                .containsExactly("qkv_proj", "o_proj", "gate_up_proj", "down_proj");
        assertThat(spec.dataset().prepare()).containsEntry("loss-on", "ASSISTANT").containsEntry("max-tokens", "4096");
        assertThat(spec.dataset().format()).isEqualTo(DatasetInputFormat.AUTO);
        assertThat(spec.baseModel().path()).isEqualTo(dir.resolve("models/llama"));
        assertThat(spec.baseModel().readShape().modelType()).isEqualTo("llama");
        assertThat(spec.dataset().source()).isEqualTo(dir.resolve("data/chat.jsonl").toString());
        assertThat(spec.output().path()).isEqualTo(dir.resolve("out").toString());
        assertThat(spec.output().generateProfile()).isTrue();
        assertThat(spec.resources().gpus()).isEqualTo(1);
        assertThat(spec.checkpoint()).isEqualTo(FineTuningJobSpec.CheckpointPolicy.DEFAULT);
    }

    @Test
    void specValuesOverrideTheTemplate() {
        FineTuningJobSpec spec = ws.parse("job.yaml", """
                apiVersion: aim.amd.com/v1alpha1
                kind: FineTuningJob
                metadata: {name: override}
                spec:
                  template: chat
                  baseModel: {modelId: m, path: ../models/llama}
                  method: qlora
                  dataset:
                    source: ../data/chat.jsonl
                    format: sharegpt
                    prepare: {max-tokens: 2048, chat-template: llama3}
                  hyperparameters:
                    learningRate: 2e-4
                    batchSize: 64
                    loraRank: 64
                    loraDropout: 0.1
                    targetModules: [q, v]
                    maxSeqLen: 2048
                    gradientCheckpointing: false
                    lrScheduler: linear
                  output: {registry: hf://acme/llama-chat, profile: none, mergeWeights: true}
                  resources: {gpuMemoryGb: 24, gpus: 2}
                  checkpoint: {everySteps: 50, keepLast: 1, keepBest: false}
                """);

        JobHyperparameters h = spec.hyperparameters();
        assertThat(spec.method()).isEqualTo(FinetuneMethod.QLORA);
        assertThat(h.learningRate()).as("YAML 1.1 reads 2e-4 as text; it is still a number").isEqualTo(2e-4);
        assertThat(h.batchSize()).isEqualTo(64);
        assertThat(h.lora().rank()).isEqualTo(64);
        assertThat(h.lora().alpha()).as("not set in the spec: the template's").isEqualTo(32);
        assertThat(h.lora().dropout()).isEqualTo(0.1);
        assertThat(h.lora().targetsFor("phi3")).as("one list replaces every architecture's")
                .containsExactly(LoraTarget.Q, LoraTarget.V);
        assertThat(h.gradientCheckpointing()).isEqualTo(GradientCheckpointing.OFF);
        assertThat(h.lrScheduler()).isEqualTo("linear");
        assertThat(spec.dataset().format()).isEqualTo(DatasetInputFormat.SHAREGPT);
        assertThat(spec.dataset().format().datasetJobFormat()).isEqualTo("sharegpt");
        assertThat(spec.dataset().prepare()).containsEntry("max-tokens", "2048").containsEntry("chat-template", "llama3")
                .containsEntry("pii-scrub", "true");
        assertThat(spec.output().location()).isEqualTo("hf://acme/llama-chat");
        assertThat(spec.output().generateProfile()).isFalse();
        assertThat(spec.output().mergeWeights()).isTrue();
        assertThat(spec.resources()).isEqualTo(new FineTuningJobSpec.Resources(24, 2));
        assertThat(spec.checkpoint()).isEqualTo(new FineTuningJobSpec.CheckpointPolicy(50, 1, false));
    }

    @Test
    void templateCanBeAFileAndTargetsCanBePerArchitecture() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("jobs/my-template.yaml"), """
                name: mine
                method: lora
                hyperparameters: {learning_rate: 5.0e-5, micro_batch_size: 2, gradient_accumulation_steps: 3}
                lora: {rank: 4, targets: {default: [q, v]}}
                """);
        FineTuningJobSpec spec = ws.parse("job.yaml", SpecWorkspace.llamaChat(
                List.of("targetModules: {phi3: [qkv], default: [o, down]}"), 48).replace("template: chat", "template: ./my-template.yaml"));

        assertThat(spec.hyperparameters().learningRate()).isEqualTo(5.0e-5);
        assertThat(spec.hyperparameters().batchSize()).isEqualTo(6);
        assertThat(spec.hyperparameters().lora().rank()).isEqualTo(4);
        assertThat(spec.hyperparameters().lora().alpha()).isEqualTo(8);
        assertThat(spec.hyperparameters().lora().targetModules(PublishedConfigs.shape("phi-3-mini-4k-instruct")))
                .containsExactly("qkv_proj");
        assertThat(spec.hyperparameters().lora().targetModules(PublishedConfigs.shape("llama-3.1-8b")))
                .containsExactly("o_proj", "down_proj");
    }

    /** The CRD example of the seed document, plus the two fields this project adds: a local model path and resources. */
    @Test
    void seedCrdExampleParsesWithPathAndResources() {
        FineTuningJobSpec spec = ws.parse("seed.yaml", """
                apiVersion: aim.amd.com/v1alpha1
                kind: FineTuningJob
                metadata:
                  name: llama-3-finetune
                spec:
                  baseModel:
                    modelId: "meta-llama/Llama-3.1-8B-Instruct"
                    profile: "llama-3.1-8b-instruct"
                    path: ../models/llama
                  method: "lora"  # or "qlora", "full"
                  dataset:
                    source: "s3://bucket/training-data.jsonl"
                    format: "jsonl"
                  hyperparameters:
                    learningRate: 2e-4
                    batchSize: 4
                    epochs: 3
                    loraRank: 16
                    loraAlpha: 32
                  output:
                    registry: "harbor.example.com/aim-models"
                    profile: "auto-generate"
                  resources:
                    gpuMemoryGb: 48
                """);

        assertThat(spec.baseModel().profile()).isEqualTo("llama-3.1-8b-instruct");
        assertThat(spec.dataset().source()).as("URIs are kept as written").isEqualTo("s3://bucket/training-data.jsonl");
        assertThat(spec.dataset().format()).isEqualTo(DatasetInputFormat.JSONL);
        assertThat(spec.dataset().format().datasetJobFormat()).as("layout detected").isNull();
        assertThat(spec.hyperparameters().lora().targetsFor("llama")).as("no template: all linear")
                .hasSize(7);
        assertThat(spec.output().registry()).isEqualTo("harbor.example.com/aim-models");
    }

    @Test
    void oneSpecWithManyMistakesGetsThemAllAtOnce() {
        SpecException e = catchThrowableOfType(() -> ws.parse("bad.yaml", """
                apiVersion: aim.amd.com/v1
                kind: FineTuningJob
                metadata:
                  name: Llama_Chat
                spec:
                  baseModel:
                    path: ../models/nowhere
                  method: dora
                  dataset:
                    source: ../data/missing.jsonl
                    format: xml
                  hyperparameters:
                    learningRate: 3
                    batchSize: 0
                    epochs: 2.5
                    loraDropout: 1.5
                    targetModules: [q, mlp]
                    gradientCheckpointing: sometimes
                    seed: -1
                    learningrate: 1.0e-4
                  output:
                    profile: manual
                  resources:
                    gpuMemoryGb: -8
                    gpus: 0
                """), SpecException.class);

        Path jobs = dir.resolve("jobs");
        assertThat(e.errors()).containsExactly(
                "apiVersion: must be aim.amd.com/v1alpha1, was 'aim.amd.com/v1'",
                "metadata.name: must be at most 63 lowercase letters, digits and '-', starting and ending with a "
                        + "letter or digit (a Kubernetes name), was 'Llama_Chat'",
                "spec.method: must be one of full, lora, qlora, was 'dora'",
                "spec.baseModel.modelId: is required",
                "spec.baseModel.path: " + dir.resolve("models/nowhere") + " is not a folder (it must hold config.json "
                        + "and tokenizer.json)",
                "spec.dataset.format: must be one of auto, jsonl, json, csv, parquet, alpaca, sharegpt, openai, "
                        + "completion, prepared, classification, was 'xml'",
                "spec.dataset.source: " + dir.resolve("data/missing.jsonl") + " does not exist",
                "spec.hyperparameters.learningrate: unknown field; known here: batchSize, epochs, evalEverySteps, "
                        + "gradientCheckpointing, learningRate, logEverySteps, loraAlpha, loraDropout, loraRank, "
                        + "lrScheduler, maxSeqLen, maxSteps, precision, seed, targetModules, warmupRatio, weightDecay",
                "spec.hyperparameters.learningRate: must be in (0, 0.01], was 3",
                "spec.hyperparameters.batchSize: must be a whole number in [1, 65536], was 0",
                "spec.hyperparameters.epochs: must be a whole number in [1, 100], was 2.5",
                "spec.hyperparameters.gradientCheckpointing: must be true, false or auto, was 'sometimes'",
                "spec.hyperparameters.seed: must be a whole number in [0, 2147483647], was -1",
                "spec.hyperparameters.loraDropout: must be in [0, 0.9], was 1.5",
                "spec.hyperparameters.targetModules[1]: unknown LoRA target 'mlp'; expected some of q, k, v, o, gate, "
                        + "up, down (qkv and gate_up for Phi-3's fused projections)",
                "spec.output: needs path (a folder or s3://... URI) or registry (e.g. hf://org/name)",
                "spec.output.profile: must be one of auto-generate, none, was 'manual'",
                "spec.resources.gpuMemoryGb: must be in (0, 4096], was -8",
                "spec.resources.gpus: must be a whole number in [1, 64], was 0");
        assertThat(e.getMessage()).startsWith(jobs.resolve("bad.yaml") + ": 19 errors in the FineTuningJob spec\n  - ");
    }
}
