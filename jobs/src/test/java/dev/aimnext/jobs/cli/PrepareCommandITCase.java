package dev.aimnext.jobs.cli;

import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;
import dev.aimnext.operators.dataset.write.TokenizedParquetReader;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code aim prepare} output contract: four files, progress and a summary on stdout, one-line errors with exit 2. */
class PrepareCommandITCase {

    private static final Path TOY = Path.of("../operators/src/test/resources/datasets/finetune/openai_messages_toy_chat_fine_tuning.jsonl");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(String... args) {
        return AimCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void writesTheFourOutputsAndASummary() throws Exception {
        Path output = dir.resolve("out");
        int code = run("prepare", "--input", TOY.toString(), "--output", output.toString(),
                "--eval-fraction", "0", "--max-tokens", "2000", "--on-overflow", "drop", "--no-pii-scrub");

        assertThat(code).as(err.toString()).isZero();
        JsonNode manifest = new ObjectMapper().readTree(output.resolve("manifest.json").toFile());
        // Row 4 has no user turn; row 5's 26,000-character answer is over 2,000 estimated tokens.
        assertThat(manifest.path("rows_in").asLong()).isEqualTo(5);
        assertThat(manifest.path("kept").asLong()).isEqualTo(3);
        assertThat(manifest.path("rejected_by_reason").path("over_max_tokens").asLong()).isEqualTo(1);
        assertThat(manifest.path("pii").path("scrubbed").asBoolean()).isFalse();
        assertThat(Files.readAllLines(output.resolve("train.jsonl"))).hasSize(3);
        assertThat(Files.readAllLines(output.resolve("eval.jsonl"))).isEmpty();
        List<String> rejects = Files.readAllLines(output.resolve("rejects.jsonl"));
        assertThat(rejects).hasSize(2).allSatisfy(r -> assertThat(r).contains("\"file\":\"openai_messages_toy_chat_fine_tuning.jsonl\""));
        assertThat(out.toString())
                .contains("aim prepare: 1 input file(s)")
                .contains("rows in 5, kept 3 (train 3, eval 0), rejected 2")
                .contains("top reject reasons:")
                .contains(output.resolve("manifest.json").toString());
    }

    @Test
    void aSpecWithTemplateTokenizerAndPackingWritesParquet() throws Exception {
        Path tokenizer = dir.resolve("model/tokenizer.json");
        Files.createDirectories(tokenizer.getParent());
        try (var in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            Files.copy(in, tokenizer);
        }
        Path spec = dir.resolve("prepare.yaml");
        Files.writeString(spec, String.join("\n",
                "inputs: [" + TOY.toAbsolutePath() + "]",
                "output-dir: out",
                "eval-fraction: 0",
                "chat-template: chatml",
                "tokenizer: model",
                "pack-max-seq-len: 2048",
                ""));
        int code = run("prepare", "--spec", spec.toString(), "--no-pii-scrub");

        assertThat(code).as(err.toString()).isZero();
        Path output = dir.resolve("out");
        JsonNode manifest = new ObjectMapper().readTree(output.resolve("manifest.json").toFile());
        assertThat(manifest.path("tokens").path("counter").asText()).isEqualTo("tokenizer.json");
        assertThat(manifest.path("pii").path("scrubbed").asBoolean()).as("the flag overrides the spec").isFalse();
        List<TokenizedSequence> train = TokenizedParquetReader.readAll(output.resolve("train.parquet"));
        assertThat(train).isNotEmpty().allSatisfy(seq -> assertThat(seq.inputIds.length).isLessThanOrEqualTo(2048));
        assertThat(train.stream().mapToInt(seq -> seq.sources.length).sum()).isEqualTo(manifest.path("kept").asInt());
        assertThat(out.toString()).contains("tokens (tokenizer.json, chatml template)")
                .contains("training sequences, packed into 2048 tokens")
                .contains(output.resolve("train.parquet").toString());
    }

    @Test
    void aFolderUriIsListedAndReadThroughFlinksFileSystems() throws Exception {
        Path folder = dir.resolve("remote");
        Files.createDirectories(folder);
        Files.copy(TOY, folder.resolve(TOY.getFileName()));
        Files.writeString(folder.resolve("notes.txt"), "not an input");
        Path output = dir.resolve("out-uri");
        int code = run("prepare", "--input", folder.toUri().toString(), "--output", output.toString(),
                "--eval-fraction", "0", "--no-pii-scrub");

        assertThat(code).as(err.toString()).isZero();
        JsonNode manifest = new ObjectMapper().readTree(output.resolve("manifest.json").toFile());
        assertThat(manifest.path("rows_in").asLong()).isEqualTo(5);
        assertThat(Files.readString(output.resolve("train.jsonl"))).contains("openai_messages_toy_chat_fine_tuning.jsonl#1");
    }

    @Test
    void badOptionsPrintOneLineAndExitTwo() {
        assertThat(run("prepare", "--input", TOY.toString(), "--output", dir.toString(), "--format", "csv")).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("aim: --format must be").doesNotContain("\n");
        err.reset();
        assertThat(run("prepare", "--input", dir.resolve("missing.jsonl").toString(), "--output", dir.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("aim: cannot read input " + dir.resolve("missing.jsonl"));
        err.reset();
        assertThat(run("prepare", "--input", TOY.toString(), "--output", dir.toString(), "--eval-fraction", "1.5")).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("aim: --eval-fraction must be a number in [0, 1)");
        err.reset();
        assertThat(run("prepare", "--output", dir.toString())).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("aim: prepare needs --input PATH[,PATH...] (or inputs: in the --spec)");
    }

    @Test
    void exitsOneNamingReasonsWhenNothingIsValid() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.write(bad, List.of("not json", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertThat(run("prepare", "--input", bad.toString(), "--output", dir.resolve("out").toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("aim: no valid rows remain out of 2 read; top reasons:")
                .contains("malformed_json (1)");
    }
}
