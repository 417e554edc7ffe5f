package dev.aimnext.operators.dataset.stage;

import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import org.apache.flink.api.common.functions.DefaultOpenContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The read stage over CSV and Parquet inputs, and over files it cannot read at all. */
class ReadFileFunctionFileTypesTest {

    @TempDir
    Path dir;

    private static final PrepSettings SETTINGS = new PrepSettings(null, 0, OverLengthPolicy.DROP, false, 0.8, 0.1);

    private static StageContexts.Outputs<PreparedRow> read(Path file, PrepSettings settings) throws Exception {
        ReadFileFunction fn = new ReadFileFunction(settings);
        fn.open(DefaultOpenContext.INSTANCE);
        StageContexts.Outputs<PreparedRow> out = new StageContexts.Outputs<>();
        fn.processElement(file.toString(), StageContexts.processContext(fn, out), out);
        return out;
    }

    private static Path resource(String path) throws URISyntaxException {
        return Path.of(ReadFileFunctionFileTypesTest.class.getResource("/datasets/" + path).toURI());
    }

    @Test
    void aCsvFileIsPreparedAndItsRaggedRowRejected() throws Exception {
        Path file = dir.resolve("rows.csv");
        Files.writeString(file, "prompt,completion\n\"What is 2+2?\",4\nsecret,too,many\n\"Capital of France?\",Paris\n");

        StageContexts.Outputs<PreparedRow> out = read(file, SETTINGS);

        assertThat(out.main).extracting(r -> r.rowId).containsExactlyInAnyOrder("rows.csv#1", "rows.csv#3");
        assertThat(out.rejects).singleElement().satisfies(r -> {
            assertThat(r.rowId).isEqualTo("rows.csv#2");
            assertThat(r.reasons).containsExactly("malformed_json");
            assertThat(r.messages.toString()).contains("the row has 3 cells, the header has 2").doesNotContain("secret");
        });
    }

    @Test
    void aParquetFileIsPreparedLikeTheJsonlItWasConvertedFrom() throws Exception {
        StageContexts.Outputs<PreparedRow> jsonl = read(resource("finetune/openai_messages_toy_chat_fine_tuning.jsonl"), SETTINGS);
        StageContexts.Outputs<PreparedRow> parquet = read(resource("converted/openai_messages_toy_chat_fine_tuning.parquet"), SETTINGS);

        assertThat(parquet.main).extracting(r -> r.exactKey).containsExactlyElementsOf(jsonl.main.stream().map(r -> r.exactKey).toList());
        assertThat(parquet.rejects).extracting(r -> r.rowId.substring(r.rowId.indexOf('#')))
                .containsExactlyElementsOf(jsonl.rejects.stream().map(r -> r.rowId.substring(r.rowId.indexOf('#'))).toList());
        assertThat(parquet.mergedStats().rowsIn).isEqualTo(5);
    }

    @Test
    void anUnsupportedFileTypeIsOneRejectForTheWholeFileEvenWithAForcedFormat() throws Exception {
        Path file = dir.resolve("rows.xlsx");
        Files.writeString(file, "{\"prompt\":\"p\",\"completion\":\"c\"}\n");

        for (PrepSettings settings : List.of(SETTINGS, new PrepSettings(DatasetFormat.COMPLETION, 0, OverLengthPolicy.DROP, false, 0.8, 0.1))) {
            StageContexts.Outputs<PreparedRow> out = read(file, settings);

            assertThat(out.main).isEmpty();
            assertThat(out.rejects).singleElement().satisfies(r -> {
                assertThat(r.file).isEqualTo("rows.xlsx");
                assertThat(r.reasons).containsExactly(DatasetReject.UNRECOGNIZED_FORMAT);
                assertThat(r.messages).containsExactly(
                        "rows.xlsx: unsupported file type; dataset prep reads .jsonl, .json, .csv, .parquet files");
            });
        }
    }

    @Test
    void aParquetFileWithAnUnsupportedCodecIsOneReject() throws Exception {
        StageContexts.Outputs<PreparedRow> out = read(resource("converted/alpaca_three_rows.brotli.parquet"), SETTINGS);

        assertThat(out.main).isEmpty();
        assertThat(out.rejects).singleElement().satisfies(r -> {
            assertThat(r.reasons).containsExactly(DatasetReject.UNRECOGNIZED_FORMAT);
            assertThat(r.messages.get(0)).contains("compressed with BROTLI");
        });
    }
}
