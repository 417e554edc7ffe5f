package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReadFileFunctionTest {

    @TempDir
    Path dir;

    private StageContexts.Outputs<PreparedRow> read(Path file, PrepSettings settings) throws Exception {
        ReadFileFunction fn = new ReadFileFunction(settings);
        fn.open(DefaultOpenContext.INSTANCE);
        StageContexts.Outputs<PreparedRow> out = new StageContexts.Outputs<>();
        fn.processElement(file.toString(), StageContexts.processContext(fn, out), out);
        return out;
    }

    private static PrepSettings settings(boolean pii) {
        return new PrepSettings(null, 0, OverLengthPolicy.DROP, pii, 0.8, 0.1);
    }

    @Test
    void emitsValidRowsScrubbedAndRejectsWithReasonsButNoContent() throws Exception {
        Path file = dir.resolve("rows.jsonl");
        Files.write(file, List.of(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"mail bob@example.org please\"},"
                        + "{\"role\":\"assistant\",\"content\":\"done\",\"weight\":1}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"secret question\"}]}",
                "{broken"));
        StageContexts.Outputs<PreparedRow> out = read(file, settings(true));

        assertThat(out.main).hasSize(1);
        PreparedRow row = out.main.get(0);
        assertThat(row.rowId).isEqualTo("rows.jsonl#1");
        assertThat(row.json).doesNotContain("bob@example.org").contains("\"weight\":1.0").contains("\"source\":\"rows.jsonl#1\"");
        assertThat(row.piiFound).containsEntry("EMAIL_ADDRESS", 1);
        assertThat(row.signature).hasSize(PrepSettings.NUM_HASHES);
        JsonNode json = new ObjectMapper().readTree(row.json);
        assertThat(json.path("tokens").asInt()).isEqualTo(row.tokens).isPositive();

        assertThat(out.rejects).extracting(r -> r.rowId).containsExactly("rows.jsonl#2", "rows.jsonl#3");
        assertThat(out.rejects.get(0).reasons).contains("example_missing_assistant_message");
        assertThat(out.rejects.get(1).reasons).containsExactly("malformed_json");
        assertThat(out.rejects.toString() + out.rejects.get(0).messages).doesNotContain("secret question");

        DatasetStats stats = out.mergedStats();
        assertThat(stats.rowsIn).isEqualTo(3);
        assertThat(stats.rejectedRows).isEqualTo(2);
        assertThat(stats.piiByType).containsEntry("EMAIL_ADDRESS", 1L);
    }

    @Test
    void withoutScrubTheTextIsKeptAndNoPiiIsCounted() throws Exception {
        Path file = dir.resolve("rows.jsonl");
        Files.write(file, List.of("{\"prompt\":\"mail bob@example.org\",\"completion\":\"ok\"}"));
        StageContexts.Outputs<PreparedRow> out = read(file, settings(false));
        assertThat(out.main).singleElement().satisfies(r -> assertThat(r.json).contains("bob@example.org"));
        assertThat(out.mergedStats().piiByType).isEmpty();
    }

    @Test
    void dropRejectsRowsWithPiiByTypeAndAPolicyChoosesTheTreatment() throws Exception {
        Path file = dir.resolve("rows.jsonl");
        Files.write(file, List.of(
                "{\"prompt\":\"mail bob@example.org\",\"completion\":\"ok\"}",
                "{\"prompt\":\"no personal data here\",\"completion\":\"ok\"}"));
        PrepSettings drop = new PrepSettings(null, 0, OverLengthPolicy.DROP, true, 0, 0, TokenizationSettings.none(),
                new PiiScrubSettings(true, null, null));
        StageContexts.Outputs<PreparedRow> out = read(file, drop);
        assertThat(out.main).extracting(r -> r.rowId).containsExactly("rows.jsonl#2");
        assertThat(out.rejects).singleElement().satisfies(r -> {
            assertThat(r.reasons).containsExactly(DatasetReject.PII_FOUND);
            assertThat(r.messages).containsExactly("PII found: {EMAIL_ADDRESS=1}");
        });

        String redactEmails = "version: t\npii:\n  enabled: true\n  default_action: mask\n  actions:\n"
                + "    EMAIL_ADDRESS: redact\n";
        PrepSettings redact = new PrepSettings(null, 0, OverLengthPolicy.DROP, true, 0, 0, TokenizationSettings.none(),
                new PiiScrubSettings(false, redactEmails, "redact.yaml"));
        StageContexts.Outputs<PreparedRow> redacted = read(file, redact);
        assertThat(redacted.main).hasSize(2);
        assertThat(redacted.main.get(0).json).doesNotContain("bob@example.org").doesNotContain("[EMAIL_ADDRESS");
        assertThat(redact.pii().describe()).isEqualTo("mask, policy redact.yaml");
    }

    @Test
    void unreadableInputsAndRowsOverThePackingLengthAreRejectedWithTheirReasons() throws Exception {
        ReadFileFunction fn = new ReadFileFunction(settings(false));
        fn.open(DefaultOpenContext.INSTANCE);
        StageContexts.Outputs<PreparedRow> missing = new StageContexts.Outputs<>();
        String uri = dir.resolve("gone.jsonl").toUri().toString();
        fn.processElement(uri, StageContexts.processContext(fn, missing), missing);
        assertThat(missing.rejects).singleElement().satisfies(r -> {
            assertThat(r.rowId).isEqualTo("gone.jsonl");
            assertThat(r.reasons).containsExactly(DatasetReject.UNREADABLE_INPUT);
            assertThat(r.messages.get(0)).startsWith("cannot read " + uri);
        });
        assertThat(missing.mergedStats().rejectedByReason).containsEntry(DatasetReject.UNREADABLE_INPUT, 1L);

        Path tokenizer = dir.resolve("tokenizer.json");
        try (var in = getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-q-tokenizer.json")) {
            Files.copy(in, tokenizer);
        }
        Path file = dir.resolve("rows.jsonl");
        Files.write(file, List.of(
                "{\"prompt\":\"" + "word ".repeat(40) + "\",\"completion\":\"ok\"}",
                "{\"prompt\":\"short\",\"completion\":\"ok\"}"));
        PrepSettings mistral = new PrepSettings(null, 0, OverLengthPolicy.DROP, false, 0, 0, new TokenizationSettings(
                dev.aimnext.operators.dataset.template.BuiltInTemplate.MISTRAL.template(), tokenizer.toString(),
                dev.aimnext.operators.dataset.tokenize.LossMask.ASSISTANT, 20, false));
        StageContexts.Outputs<PreparedRow> out = read(file, mistral);
        assertThat(out.rejects).extracting(r -> r.rowId + " " + r.reasons).containsExactly(
                "rows.jsonl#1 [" + DatasetReject.OVER_MAX_SEQ_LEN + "]");
        assertThat(out.rejects.get(0).messages.get(0)).endsWith("over the packing max_seq_len of 20");
        assertThat(out.main).extracting(r -> r.rowId).containsExactly("rows.jsonl#2");
        assertThat(out.main.get(0).inputIds).hasSize(out.main.get(0).tokens).hasSameSizeAs(out.main.get(0).labels);
    }

    @Test
    void aFileOfNoKnownFormatIsOneReject() throws Exception {
        Path file = dir.resolve("odd.jsonl");
        Files.write(file, List.of("{\"foo\":1}", "{\"bar\":2}"));
        StageContexts.Outputs<PreparedRow> out = read(file, settings(true));
        assertThat(out.main).isEmpty();
        assertThat(out.rejects).singleElement().satisfies(r -> {
            assertThat(r.file).isEqualTo("odd.jsonl");
            assertThat(r.reasons).containsExactly(DatasetReject.UNRECOGNIZED_FORMAT);
        });
    }

    @Test
    void aForcedFormatSkipsDetection() throws Exception {
        Path file = dir.resolve("odd.jsonl");
        Files.write(file, List.of("{\"foo\":1}"));
        StageContexts.Outputs<PreparedRow> out = read(file,
                new PrepSettings(DatasetFormat.COMPLETION, 0, OverLengthPolicy.DROP, true, 0, 0));
        assertThat(out.main).isEmpty();
        assertThat(out.rejects).singleElement().satisfies(r -> assertThat(r.rowId).isEqualTo("odd.jsonl#1"));
    }
}
