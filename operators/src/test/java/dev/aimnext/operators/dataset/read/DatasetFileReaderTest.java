package dev.aimnext.operators.dataset.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimnext.operators.dataset.format.UnrecognizedFormatException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same public samples as JSON, and converted to CSV and Parquet by Python (pyarrow, Hugging
 * Face datasets; see {@code datasets/converted/README.md}), must read as the same rows.
 */
class DatasetFileReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Path resource(String path) {
        try {
            return Path.of(DatasetFileReaderTest.class.getResource("/datasets/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<SourceRow> readAll(Path file) throws Exception {
        List<SourceRow> rows = new ArrayList<>();
        try (DatasetFileReader reader = DatasetFileReader.open(file)) {
            reader.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static List<JsonNode> nodes(Path file) throws Exception {
        List<SourceRow> rows = readAll(file);
        assertThat(rows).allMatch(SourceRow::parsed);
        return rows.stream().map(SourceRow::node).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai_messages_toy_chat_fine_tuning.parquet", "openai_messages_toy_chat_fine_tuning.csv"})
    void openAiMessagesReadAsTheJsonlDoes(String converted) throws Exception {
        List<JsonNode> jsonl = nodes(resource("finetune/openai_messages_toy_chat_fine_tuning.jsonl"));

        List<SourceRow> rows = readAll(resource("converted/" + converted));

        assertThat(jsonl).hasSize(5);
        assertThat(rows).extracting(SourceRow::node).containsExactlyElementsOf(jsonl);
        assertThat(rows.get(4).rowId()).isEqualTo(converted + "#5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alpaca_llamafactory_identity.parquet", "alpaca_llamafactory_identity.csv"})
    void alpacaReadsAsTheJsonArrayDoes(String converted) throws Exception {
        List<JsonNode> json = nodes(resource("finetune/alpaca_llamafactory_identity.json"));

        assertThat(json).hasSize(91);
        assertThat(nodes(resource("converted/" + converted))).containsExactlyElementsOf(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "gzip", "lz4"})
    void theCodecsPyarrowWritesAreRead(String codec) throws Exception {
        List<JsonNode> json = nodes(resource("finetune/alpaca_llamafactory_identity.json"));

        assertThat(nodes(resource("converted/alpaca_three_rows." + codec + ".parquet")))
                .containsExactlyElementsOf(json.subList(0, 3));
    }

    @Test
    void anUnsupportedCodecIsRefusedAtOpenWithHowToRewriteTheFile() {
        assertThatThrownBy(() -> DatasetFileReader.open(resource("converted/alpaca_three_rows.brotli.parquet")))
                .isInstanceOf(UnrecognizedFormatException.class)
                .hasMessageStartingWith("alpaca_three_rows.brotli.parquet: compressed with BROTLI")
                .hasMessageContaining("compression='zstd'");
    }

    @Test
    void anUnknownExtensionIsRefusedNamingTheFileAndTheAcceptedOnes() throws Exception {
        Path file = Files.writeString(dir.resolve("rows.xlsx"), "{\"prompt\":\"p\",\"completion\":\"c\"}");

        assertThatThrownBy(() -> DatasetFileReader.open(file))
                .isInstanceOf(UnrecognizedFormatException.class)
                .hasMessage("rows.xlsx: unsupported file type; dataset prep reads .jsonl, .json, .csv, .parquet files");
        assertThat(DatasetFileReader.accepts("rows.xlsx")).isFalse();
        assertThat(DatasetFileReader.accepts("ROWS.PARQUET")).isTrue();
    }

    @Test
    void aFileNamedParquetThatIsNotParquetIsRefusedAtOpen() throws Exception {
        Path file = Files.writeString(dir.resolve("fake.parquet"), "{\"prompt\":\"p\",\"completion\":\"c\"}\n");

        assertThatThrownBy(() -> DatasetFileReader.open(file))
                .isInstanceOf(UnrecognizedFormatException.class)
                .hasMessage("fake.parquet: not a Parquet file, or its footer is damaged");
    }

    @Test
    void extensionsAreMatchedWithoutRegardToCase() throws Exception {
        Path jsonl = Files.writeString(dir.resolve("A.JSONL"), "{\"prompt\":\"p\",\"completion\":\"c\"}\n");
        Path csv = Files.writeString(dir.resolve("B.Csv"), "prompt,completion\np,c\n");

        assertThat(nodes(jsonl)).containsExactlyElementsOf(nodes(csv));
        assertThat(readAll(csv)).extracting(SourceRow::rowId).containsExactly("B.Csv#1");
    }
}
