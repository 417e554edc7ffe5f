package dev.aimnext.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code aim profile} output contract: JSON on stdout or --output, a summary on stderr, one-line errors. */
class ProfileCommandTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void writeLlamaConfig() throws IOException {
        config = dir.resolve("Llama-3.1-8B").resolve("config.json");
        Files.createDirectories(config.getParent());
        try (InputStream in = getClass().getResourceAsStream("/finetune/llama-3.1-8b-config.json")) {
            Files.write(config, in.readAllBytes());
        }
    }

    private int run(String... args) {
        return AimCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheProfileToStdoutAndASummaryToStderr() throws IOException {
        int code = run("profile", "--model-config", config.toString(), "--method", "lora", "--dtype", "bf16",
                "--partition-gb", "48", "--max-model-len", "8192");

        assertThat(code).isZero();
        JsonNode profile = mapper.readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(profile.at("/model_id").asText()).isEqualTo("Llama-3.1-8B");
        assertThat(profile.at("/finetuning/method").asText()).isEqualTo("lora");
        assertThat(profile.at("/gpu_sharing/memory_limit_gb").asDouble()).isEqualTo(48.0);
        assertThat(profile.at("/memory/model/parameters/total").asLong()).isEqualTo(8_030_261_248L);
        assertThat(profile.at("/memory/serving/kv_bytes_per_token").asLong()).isEqualTo(131_072);
        assertThat(profile.at("/memory/serving/max_model_len").asLong()).isEqualTo(8192);
        assertThat(profile.at("/memory/serving/max_concurrent_sequences").asLong()).isEqualTo(26);
        assertThat(stderr()).startsWith("aim profile: Llama-3.1-8B, lora r16 bf16 on a 48.0 GiB partition -> stdout\n")
                .contains("  model     8.03B parameters (llama, 32 layers, 8 KV heads x 128)\n")
                .contains("  training  17.9 GiB: weights 15.1 GiB, gradients 0.2 GiB, AdamW 0.3 GiB, activations "
                        + "2.3 GiB (2048 tokens x 1, checkpointing on)\n")
                .contains("  serving   weights 15.0 GiB, KV 131072 bytes/token, max-model-len 8192, 26 concurrent")
                .endsWith("  vllm      --dtype bfloat16 --gpu-memory-utilization 0.90 --max-model-len 8192 "
                        + "--enable-lora --max-lora-rank 16\n");
    }

    @Test
    void writesTheProfileToOutputWhenGiven() throws IOException {
        Path output = dir.resolve("profile.json");

        int code = run("profile", "--model-config", config.toString(), "--method", "qlora", "--partition-gb", "24",
                "--lora-rank", "32", "--model-id", "meta-llama/Llama-3.1-8B", "--output", output.toString());

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        JsonNode profile = mapper.readTree(Files.readString(output));
        assertThat(profile.at("/model_id").asText()).isEqualTo("meta-llama/Llama-3.1-8B");
        assertThat(profile.at("/finetuning/quantization/type").asText()).isEqualTo("nf4");
        assertThat(profile.at("/finetuning/lora/rank").asInt()).isEqualTo(32);
        assertThat(profile.at("/memory/serving/vllm_args").toString()).contains("\"--max-lora-rank\",\"32\"");
        assertThat(stderr()).contains("-> " + output);
    }

    @Test
    void aModelThatDoesNotFitIsOneLineWithWhatItNeeds() {
        int code = run("profile", "--model-config", config.toString(), "--method", "full", "--partition-gb", "48");

        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(stderr()).isEqualTo("aim: full fine-tuning of Llama-3.1-8B needs 136.9 GiB (weights 44.9 GiB, "
                + "gradients 29.9 GiB, AdamW states 59.8 GiB, activations 2.3 GiB at 2048 tokens x 1 with gradient "
                + "checkpointing on) but the partition has 48.0 GiB; try --method lora or qlora, or a larger partition\n");
    }

    @Test
    void missingFileIsOneLine() {
        Path missing = dir.resolve("nope.json");

        assertThat(run("profile", "--model-config", missing.toString(), "--method", "lora", "--partition-gb", "48"))
                .isEqualTo(2);
        assertThat(stderr()).isEqualTo("aim: model config " + missing + " does not exist\n");
    }

    @Test
    void invalidJsonIsOneLine() throws IOException {
        Files.writeString(config, "{\"hidden_size\": 4096,");

        assertThat(run("profile", "--model-config", config.toString(), "--method", "lora", "--partition-gb", "48"))
                .isEqualTo(2);
        assertThat(stderr()).startsWith("aim: " + config + " is not valid JSON: ").hasLineCount(1);
    }

    @Test
    void configMissingARequiredFieldIsOneLine() throws IOException {
        Files.writeString(config, Files.readString(config).replace("\"vocab_size\": 128256", "\"unused\": 1"));

        assertThat(run("profile", "--model-config", config.toString(), "--method", "lora", "--partition-gb", "48"))
                .isEqualTo(2);
        assertThat(stderr()).isEqualTo("aim: " + config + " is missing required field 'vocab_size'\n");
    }

    @Test
    void unknownMethodIsOneLine() {
        assertThat(run("profile", "--model-config", config.toString(), "--method", "dora", "--partition-gb", "48"))
                .isEqualTo(2);
        assertThat(stderr()).isEqualTo("aim: unknown method 'dora'; expected lora, qlora or full\n");
    }

    @Test
    void missingOptionsAndBadValuesAreOneLine() {
        assertThat(run("profile", "--method", "lora", "--partition-gb", "48")).isEqualTo(2);
        assertThat(run("profile", "--model-config", config.toString(), "--method", "lora")).isEqualTo(2);
        assertThat(run("profile", "--model-config", config.toString(), "--method", "lora", "--partition-gb", "48",
                "--dtype", "nf4")).isEqualTo(2);
        assertThat(run("profile", "--model-config", config.toString(), "--method", "lora", "--partition-gb", "48",
                "--lora-rank", "sixteen")).isEqualTo(2);
        assertThat(run("profile", "--model-config", config.toString(), "--method", "lora", "--partition-gb", "48",
                "--max-model-len", "200000")).isEqualTo(2);

        assertThat(stderr().split("\n")).containsExactly(
                "aim: profile needs --model-config config.json",
                "aim: profile needs --partition-gb GIB (e.g. 48 for an MI300X QPX partition)",
                "aim: --dtype must be fp32, bf16 or fp16, got nf4 (the 4-bit base of --method qlora is implied)",
                "aim: --lora-rank must be a whole number, got 'sixteen'",
                "aim: --max-model-len 200000 exceeds Llama-3.1-8B's max_position_embeddings 131072");
    }
}
