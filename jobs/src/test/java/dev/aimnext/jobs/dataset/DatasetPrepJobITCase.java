package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.dataset.stage.TokenizationSettings;
import dev.aimnext.operators.dataset.template.BuiltInTemplate;
import dev.aimnext.operators.dataset.tokenize.LossMask;
import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;

import dev.aimnext.jobs.testing.CollectingSink;
import dev.aimnext.operators.dataset.stage.NoValidRowsException;
import dev.aimnext.operators.dataset.stage.PrepSettings;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetPrepJobITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private final ObjectMapper mapper = new ObjectMapper();

    @TempDir
    Path dir;

    record Outputs(List<String> train, List<String> eval, List<JsonNode> rejects, JsonNode manifest) {}

    private Outputs run(String name, List<String> inputs, PrepSettings settings) throws Exception {
        CollectingSink<String> train = new CollectingSink<>(name + "-train");
        CollectingSink<String> eval = new CollectingSink<>(name + "-eval");
        CollectingSink<String> rejects = new CollectingSink<>(name + "-rejects");
        CollectingSink<String> manifest = new CollectingSink<>(name + "-manifest");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(4);
        new DatasetPrepJob(inputs, settings, train, eval, rejects, manifest).execute(env);
        List<JsonNode> rejectNodes = new ArrayList<>();
        for (String line : rejects.results()) {
            rejectNodes.add(mapper.readTree(line));
        }
        assertThat(manifest.results()).hasSize(1);
        return new Outputs(train.results(), eval.results(), rejectNodes, mapper.readTree(manifest.results().get(0)));
    }

    private static PrepSettings defaults() {
        return new PrepSettings(null, 0, OverLengthPolicy.DROP, true, 0.8, 0.05);
    }

    @Test
    void generatedRowsAreRejectedDeduplicatedAndScrubbed() throws Exception {
        Outputs o = run("generated", List.of(DatasetFixtures.writeGenerated(dir).toString()), defaults());
        JsonNode m = o.manifest();
        assertThat(m.path("rows_in").asLong()).isEqualTo(10);
        assertThat(m.path("kept").asLong()).isEqualTo(3);
        assertThat(m.path("rejected").asLong()).isEqualTo(5);
        assertThat(m.path("dedup").path("exact_duplicates").asLong()).isEqualTo(1);
        assertThat(m.path("dedup").path("near_duplicates").asLong()).isEqualTo(1);
        assertThat(m.path("rejected_by_reason").path("malformed_json").asLong()).isEqualTo(1);
        assertThat(m.path("rejected_by_reason").path("unrecognized_role").asLong()).isEqualTo(1);
        assertThat(m.path("rejected_by_reason").path("empty_text").asLong()).isEqualTo(1);
        assertThat(m.path("rejected_by_reason").path("roles_not_alternating").asLong()).isEqualTo(1);
        assertThat(m.path("rejected_by_reason").path("example_missing_assistant_message").asLong()).isEqualTo(1);
        assertThat(m.path("pii").path("found_by_type").path("EMAIL_ADDRESS").asLong()).isEqualTo(1);

        assertThat(reasonOf(o, "generated_openai.jsonl#2")).isEqualTo("exact_duplicate");
        assertThat(reasonOf(o, "generated_openai.jsonl#3")).isEqualTo("near_duplicate");
        assertThat(reasonOf(o, "generated_openai.jsonl#4")).isEqualTo("malformed_json");
        assertThat(o.rejects()).allSatisfy(r -> assertThat(r.path("file").asText()).isEqualTo("generated_openai.jsonl"));
        assertThat(o.rejects().toString()).doesNotContain("only a question").doesNotContain("beep");

        List<String> kept = new ArrayList<>(o.train());
        kept.addAll(o.eval());
        assertThat(String.join("\n", kept)).doesNotContain("jane.roe@example.com").contains("generated_openai.jsonl#1");
    }

    @Test
    void sampleFilesGiveExactCounts() throws Exception {
        List<String> inputs = new ArrayList<>(DatasetFixtures.sampleInputs());
        inputs.add(DatasetFixtures.writeGenerated(dir).toString());
        Outputs o = run("samples", inputs, defaults());
        JsonNode m = o.manifest();
        System.out.println("SAMPLES MANIFEST\n" + m.toPrettyString());
        assertThat(m.path("rows_in").asLong()).isEqualTo(2830);
        assertThat(m.path("kept").asLong()).isEqualTo(2738);
        assertThat(m.path("rejected").asLong()).isEqualTo(6);
        assertThat(m.path("dedup").path("exact_duplicates").asLong()).isEqualTo(39);
        assertThat(m.path("dedup").path("near_duplicates").asLong()).isEqualTo(47);
        // The cookbook file's row 4 (system then assistant) is the second roles_not_alternating.
        assertThat(m.path("rejected_by_reason").path("roles_not_alternating").asLong()).isEqualTo(2);
        assertThat(reasonOf(o, "openai_messages_toy_chat_fine_tuning.jsonl#4")).isNotEqualTo("kept");
        assertThat(m.path("pii").path("found_by_type").path("EMAIL_ADDRESS").asLong()).isEqualTo(26);
        assertThat(m.path("tokens").path("estimated").asBoolean()).isTrue();
        assertThat(m.path("dataset_hash").asText()).startsWith("sha256:").hasSize(71);
        long rowsIn = m.path("rows_in").asLong();
        assertThat(rowsIn).isEqualTo(m.path("kept").asLong() + m.path("rejected").asLong()
                + m.path("dedup").path("exact_duplicates").asLong() + m.path("dedup").path("near_duplicates").asLong());
        assertThat(m.path("kept").asLong()).isEqualTo(o.train().size() + o.eval().size());
        assertThat(o.rejects()).hasSize((int) (rowsIn - m.path("kept").asLong()));
    }

    @Test
    void runIsDeterministic() throws Exception {
        List<String> inputs = List.of(DatasetFixtures.writeGenerated(dir).toString(),
                DatasetFixtures.SAMPLES.resolve("alpaca_llamafactory_identity.json").toString());
        JsonNode first = run("det-1", inputs, defaults()).manifest();
        JsonNode second = run("det-2", inputs, defaults()).manifest();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void failsNamingTheTopReasonsWhenNothingValidRemains() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        java.nio.file.Files.write(bad, List.of("{\"messages\": [", "not json",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertThatThrownBy(() -> run("none-valid", List.of(bad.toString()), defaults()))
                .hasRootCauseInstanceOf(NoValidRowsException.class)
                .rootCause()
                .hasMessageContaining("no valid rows remain out of 3 read")
                .hasMessageContaining("malformed_json (2)");
    }

    @Test
    void templatesTokenizesMasksAndPacksWithTheModelTokenizer() throws Exception {
        Path tokenizer = dir.resolve("tokenizer.json");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            Files.copy(in, tokenizer);
        }
        TokenizationSettings tokenization = new TokenizationSettings(BuiltInTemplate.CHATML.template(),
                tokenizer.toString(), LossMask.ASSISTANT, 512, true);
        PrepSettings settings = new PrepSettings(null, 0, OverLengthPolicy.DROP, true, 0.8, 0.1, tokenization);
        List<String> inputs = List.of(DatasetFixtures.SAMPLES.resolve("openai_messages_toy_chat_fine_tuning.jsonl").toString(),
                DatasetFixtures.SAMPLES.resolve("alpaca_llamafactory_identity.json").toString(),
                DatasetFixtures.SAMPLES.resolve("sharegpt_fastchat_dummy_conversation.json").toString());
        CollectingSink<TokenizedSequence> trainSeqs = new CollectingSink<>("tok-train-seq");
        CollectingSink<TokenizedSequence> evalSeqs = new CollectingSink<>("tok-eval-seq");
        CollectingSink<String> train = new CollectingSink<>("tok-train");
        CollectingSink<String> eval = new CollectingSink<>("tok-eval");
        CollectingSink<String> rejects = new CollectingSink<>("tok-rejects");
        CollectingSink<String> manifest = new CollectingSink<>("tok-manifest");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(4);
        new DatasetPrepJob(inputs, settings, train, eval, rejects, manifest)
                .withSequenceSinks(trainSeqs, evalSeqs).execute(env);

        JsonNode m = mapper.readTree(manifest.results().get(0));
        JsonNode tokens = m.path("tokens");
        assertThat(tokens.path("counter").asText()).isEqualTo("tokenizer.json");
        assertThat(tokens.path("estimated").asBoolean()).isFalse();
        assertThat(tokens.path("chat_template").asText()).isEqualTo("chatml");
        List<TokenizedSequence> all = new ArrayList<>(trainSeqs.results());
        all.addAll(evalSeqs.results());
        assertThat(m.path("sequences").path("count").asLong()).isEqualTo(all.size());
        assertThat(all).allSatisfy(seq -> {
            assertThat(seq.inputIds.length).isLessThanOrEqualTo(512);
            assertThat(seq.labels).hasSameSizeAs(seq.inputIds);
            assertThat(seq.positionIds).hasSameSizeAs(seq.inputIds);
            assertThat(java.util.Arrays.stream(seq.sequenceLengths).sum()).isEqualTo(seq.inputIds.length);
        });
        // Every kept conversation is in exactly one sequence, and the manifest's token total is theirs.
        assertThat(all.stream().mapToInt(seq -> seq.sources.length).sum()).isEqualTo(m.path("kept").asInt());
        assertThat(all.stream().mapToLong(seq -> seq.inputIds.length).sum()).isEqualTo(tokens.path("total").asLong());
        assertThat(m.path("sequences").path("fill_ratio").asDouble()).isGreaterThan(0.5);
        long trainLoss = trainSeqs.results().stream()
                .mapToLong(seq -> java.util.Arrays.stream(seq.labels).filter(l -> l != TokenizedSequence.IGNORE_INDEX).count())
                .sum();
        assertThat(trainLoss).isEqualTo(m.path("loss_tokens_per_epoch").asLong()).isPositive();
        assertThat(trainLoss).isLessThan(m.path("estimated_training_tokens_per_epoch").asLong());

        JsonNode line = mapper.readTree(train.results().get(0));
        assertThat(line.path("text").asText()).startsWith("<|im_start|>");
        JsonNode span = line.path("train_spans").get(0);
        assertThat(line.path("text").asText().substring(span.get(0).asInt(), span.get(1).asInt())).endsWith("<|im_end|>\n");
        assertThat(line.path("train_tokens").asInt()).isLessThan(line.path("tokens").asInt());
        long rowsIn = m.path("rows_in").asLong();
        assertThat(rowsIn).isEqualTo(m.path("kept").asLong() + m.path("rejected").asLong()
                + m.path("dedup").path("exact_duplicates").asLong() + m.path("dedup").path("near_duplicates").asLong());
    }

    private static String reasonOf(Outputs o, String rowId) {
        return o.rejects().stream().filter(r -> r.path("row").asText().equals(rowId))
                .map(r -> r.path("reasons").get(0).asText()).findFirst().orElse("kept");
    }
}
