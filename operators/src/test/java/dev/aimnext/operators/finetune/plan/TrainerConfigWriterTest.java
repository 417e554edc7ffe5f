package dev.aimnext.operators.finetune.plan;

import dev.aimnext.operators.finetune.spec.FineTuningJobSpec;
import dev.aimnext.operators.finetune.spec.SpecWorkspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerConfigWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PROTOCOL = Path.of("..", "docs", "FINETUNE-PROTOCOL.md");

    @TempDir
    Path dir;

    private SpecWorkspace ws;
    private PreparedDataset data;

    @BeforeEach
    void setUp() {
        ws = new SpecWorkspace(dir);
        ws.model("llama", "llama-3.1-8b");
        ws.model("phi3", "phi-3-mini-4k-instruct");
        data = new PreparedDataset(dir.resolve("prepared/train.parquet"), dir.resolve("prepared/eval.parquet"),
                PreparedDataset.TOKENIZED_PARQUET, "sha256:abc");
    }

    private FineTuningJobSpec spec(String method, String model, String... hyper) {
        return ws.parse("job.yaml", SpecWorkspace.llamaChat(List.of(hyper), 48)
                .replace("template: chat", "template: chat\n  method: " + method)
                .replace("../models/llama", "../models/" + model));
    }

    private String write(FineTuningJobSpec spec, Path resumeFrom) {
        TrainingPlan plan = TrainingSizer.plan(spec, spec.baseModel().readShape());
        return TrainerConfigWriter.write(spec, plan, "run-1", dir.resolve("runs/run-1"), data, resumeFrom);
    }

    @Test
    void keysAreExactlyThoseOfTheProtocolDocument() throws Exception {
        JsonNode documented = JSON.readTree(documentedConfig());
        JsonNode written = JSON.readTree(write(spec("qlora", "llama"), dir.resolve("runs/run-1/checkpoint-400")));

        assertThat(keyPaths(written, "")).isEqualTo(keyPaths(documented, ""));
        for (String path : keyPaths(documented, "")) {
            JsonNode want = documented.at(path);
            JsonNode got = written.at(path);
            if (!want.isNull() && !got.isNull()) {
                assertThat(got.getNodeType()).as(path).isEqualTo(want.getNodeType());
            }
        }
    }

    @Test
    void valuesComeFromTheSpecAndThePlan() throws Exception {
        FineTuningJobSpec spec = spec("lora", "llama", "learningRate: 1.0e-4", "seed: 7", "maxSteps: 500");
        JsonNode c = JSON.readTree(write(spec, null));

        assertThat(c.at("/run_id").asText()).isEqualTo("run-1");
        assertThat(c.at("/task").asText()).isEqualTo("causal_lm");
        assertThat(c.at("/base_model/model_id").asText()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct");
        assertThat(c.at("/base_model/path").asText()).isEqualTo(dir.resolve("models/llama").toString());
        assertThat(c.at("/base_model/model_type").asText()).isEqualTo("llama");
        assertThat(c.at("/method").asText()).isEqualTo("lora");
        assertThat(c.at("/dataset/train").asText()).isEqualTo(dir.resolve("prepared/train.parquet").toString());
        assertThat(c.at("/dataset/format").asText()).isEqualTo("tokenized_parquet");
        assertThat(c.at("/dataset/content_hash").asText()).isEqualTo("sha256:abc");
        assertThat(c.at("/hyperparameters/learning_rate").asDouble()).isEqualTo(1.0e-4);
        assertThat(c.at("/hyperparameters/epochs").asInt()).isEqualTo(3);
        assertThat(c.at("/hyperparameters/micro_batch_size").asInt()).isEqualTo(1);
        assertThat(c.at("/hyperparameters/gradient_accumulation_steps").asInt()).isEqualTo(16);
        assertThat(c.at("/hyperparameters/max_seq_len").asInt()).isEqualTo(4096);
        assertThat(c.at("/hyperparameters/gradient_checkpointing").asBoolean()).as("the plan's choice on 48 GiB").isFalse();
        assertThat(c.at("/hyperparameters/seed").asLong()).isEqualTo(7);
        assertThat(c.at("/hyperparameters/bf16").asBoolean()).isTrue();
        assertThat(c.at("/hyperparameters/max_steps").asInt()).isEqualTo(500);
        assertThat(c.at("/lora/rank").asInt()).isEqualTo(16);
        assertThat(c.at("/lora/alpha").asInt()).isEqualTo(32);
        assertThat(c.at("/lora/target_modules").toString())
                .isEqualTo("[\"q_proj\",\"k_proj\",\"v_proj\",\"o_proj\",\"gate_proj\",\"up_proj\",\"down_proj\"]");
        assertThat(c.at("/qlora").isNull()).as("lora has no quantization").isTrue();
        assertThat(c.at("/resume_from").isNull()).isTrue();
        assertThat(c.at("/run_dir").asText()).isEqualTo(dir.resolve("runs/run-1").toString());
        assertThat(c.at("/checkpoint").toString()).isEqualTo("{\"every_steps\":200,\"keep_last\":3,\"keep_best\":true}");
        assertThat(c.at("/eval_every_steps").asInt()).isEqualTo(200);
        assertThat(c.at("/log_every_steps").asInt()).isEqualTo(10);
    }

    @Test
    void phi3GetsItsFusedModuleNames() throws Exception {
        JsonNode c = JSON.readTree(write(spec("lora", "phi3"), null));
        assertThat(c.at("/base_model/model_type").asText()).isEqualTo("phi3");
        assertThat(c.at("/lora/target_modules").toString())
                .isEqualTo("[\"qkv_proj\",\"o_proj\",\"gate_up_proj\",\"down_proj\"]");
    }

    @Test
    void qloraAndFullHaveTheirSections() throws Exception {
        JsonNode qlora = JSON.readTree(write(spec("qlora", "llama"), null));
        assertThat(qlora.at("/qlora").toString())
                .isEqualTo("{\"quant_type\":\"nf4\",\"double_quant\":true,\"compute_dtype\":\"bfloat16\"}");

        FineTuningJobSpec full = ws.parse("full.yaml", SpecWorkspace.llamaChat(List.of("maxSeqLen: 2048"), 192)
                .replace("template: chat", "template: chat\n  method: full").replace("../models/llama", "../models/phi3"));
        JsonNode c = JSON.readTree(write(full, null));
        assertThat(c.at("/method").asText()).isEqualTo("full");
        assertThat(c.at("/lora").isNull()).isTrue();
        assertThat(c.at("/qlora").isNull()).isTrue();
    }

    @Test
    void roundTripsThroughTheStrictReader() {
        FineTuningJobSpec spec = spec("qlora", "phi3");
        TrainingPlan plan = TrainingSizer.plan(spec, spec.baseModel().readShape());
        TrainerConfig config = TrainerConfigWriter.config(spec, plan, "run-1", dir.resolve("runs/run-1"), data, null);
        String json = config.toJson();

        TrainerConfig back = TrainerConfig.parse(json);
        assertThat(back).isEqualTo(config);
        assertThat(back.toJson()).isEqualTo(json);
        assertThat(json).isEqualTo(TrainerConfigWriter.write(spec, plan, "run-1", dir.resolve("runs/run-1"), data, null));

        TrainerConfig resumed = TrainerConfig.parse(config.withResumeFrom("/runs/run-1/checkpoint-400").toJson());
        assertThat(resumed.resumeFrom()).isEqualTo("/runs/run-1/checkpoint-400");
        assertThat(resumed.withResumeFrom(null)).isEqualTo(config);
    }

    @Test
    void theReaderRefusesUnknownAndMissingKeys() throws Exception {
        FineTuningJobSpec spec = spec("lora", "llama");
        ObjectNode c = (ObjectNode) JSON.readTree(write(spec, null));

        ObjectNode typo = c.deepCopy();
        ((ObjectNode) typo.get("hyperparameters")).put("learnig_rate", 1e-3);
        assertThatThrownBy(() -> TrainerConfig.parse(typo.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("learnig_rate");

        ObjectNode missing = c.deepCopy();
        missing.remove("resume_from");
        assertThatThrownBy(() -> TrainerConfig.parse(missing.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resume_from");
    }

    /** The first JSON block of the protocol document, without its {@code //} comments. */
    private static String documentedConfig() throws Exception {
        String doc = Files.readString(PROTOCOL);
        int start = doc.indexOf("```json\n") + "```json\n".length();
        String block = doc.substring(start, doc.indexOf("```", start));
        StringBuilder json = new StringBuilder();
        for (String line : block.split("\n")) {
            int comment = line.indexOf("  //");
            json.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
        }
        return json.toString();
    }

    private static Set<String> keyPaths(JsonNode node, String prefix) {
        Set<String> paths = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String path = prefix + "/" + f.getKey();
            paths.add(path);
            if (f.getValue().isObject()) {
                paths.addAll(keyPaths(f.getValue(), path));
            }
        }
        return paths;
    }
}
