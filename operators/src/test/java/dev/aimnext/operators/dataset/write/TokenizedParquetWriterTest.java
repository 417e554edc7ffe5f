package dev.aimnext.operators.dataset.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aimnext.operators.dataset.read.DatasetFileReader;
import dev.aimnext.operators.dataset.read.ParquetRecords;
import dev.aimnext.operators.dataset.read.SourceRow;
import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizedParquetWriterTest {

    @TempDir
    Path dir;

    private static TokenizedSequence sequence(String split, int[] ids, int[] labels, int[] positions, int[] lengths,
            String... sources) {
        TokenizedSequence s = new TokenizedSequence();
        s.split = split;
        s.inputIds = ids;
        s.labels = labels;
        s.positionIds = positions;
        s.sequenceLengths = lengths;
        s.sources = sources;
        return s;
    }

    /** Two conversations packed into one sequence: position ids restart, prompts are masked. */
    private static TokenizedSequence packed() {
        int m = TokenizedSequence.IGNORE_INDEX;
        return sequence("train", new int[] {1, 15, 16, 2, 1, 17, 2}, new int[] {m, m, 16, 2, m, 17, 2},
                new int[] {0, 1, 2, 3, 0, 1, 2}, new int[] {4, 3}, "a.jsonl#1", "a.jsonl#9");
    }

    @Test
    void sequencesRoundTripInOrder() throws Exception {
        Path file = dir.resolve("out/train.parquet");
        TokenizedSequence single = sequence("eval", new int[] {5, 6}, new int[] {5, 6}, new int[] {0, 1}, new int[] {2},
                "b.csv#3");
        try (TokenizedParquetWriter writer = TokenizedParquetWriter.open(file)) {
            writer.write(packed());
            writer.write(single);
            assertThat(writer.rows()).isEqualTo(2);
        }

        List<TokenizedSequence> back = TokenizedParquetReader.readAll(file);

        assertThat(back).usingRecursiveFieldByFieldElementComparator().containsExactly(packed(), single);
    }

    @Test
    void columnsAreNamedAndShapedAsHuggingFaceDatasetsReadsThem() throws Exception {
        Path file = dir.resolve("train.parquet");
        try (TokenizedParquetWriter writer = TokenizedParquetWriter.open(file)) {
            writer.write(packed());
        }

        try (ParquetRecords records = ParquetRecords.open(file)) {
            assertThat(records.schema().getFields()).extracting(f -> f.getName())
                    .containsExactly("split", "input_ids", "labels", "position_ids", "sequence_lengths", "sources");
            assertThat(records.codecs()).containsOnly(CompressionCodecName.SNAPPY);
        }
        // The generic reader sees plain JSON arrays: the layout is the standard three-level LIST.
        List<SourceRow> rows = new ArrayList<>();
        try (DatasetFileReader reader = DatasetFileReader.open(file)) {
            reader.forEachRemaining(rows::add);
        }
        assertThat(rows).singleElement().extracting(SourceRow::node).isEqualTo(new ObjectMapper().readTree("""
                {"split": "train", "input_ids": [1, 15, 16, 2, 1, 17, 2], "labels": [-100, -100, 16, 2, -100, 17, 2],
                 "position_ids": [0, 1, 2, 3, 0, 1, 2], "sequence_lengths": [4, 3],
                 "sources": ["a.jsonl#1", "a.jsonl#9"]}"""));
    }

    @Test
    void manySequencesSpanPagesAndComeBackIntact() throws Exception {
        Path file = dir.resolve("big.parquet");
        List<TokenizedSequence> written = new ArrayList<>();
        try (TokenizedParquetWriter writer = TokenizedParquetWriter.open(file)) {
            for (int i = 0; i < 2000; i++) {
                int n = 1 + i % 300;
                int[] ids = new int[n];
                int[] positions = new int[n];
                for (int t = 0; t < n; t++) {
                    ids[t] = (i * 31 + t * 7) % 50_000;
                    positions[t] = t;
                }
                TokenizedSequence s = sequence(i % 10 == 0 ? "eval" : "train", ids, ids.clone(), positions,
                        new int[] {n}, "rows.jsonl#" + (i + 1));
                writer.write(s);
                written.add(s);
            }
        }

        assertThat(TokenizedParquetReader.readAll(file)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(written);
    }

    @Test
    void sequencesThatDoNotLineUpAreRefusedWithTheReason() throws Exception {
        try (TokenizedParquetWriter writer = TokenizedParquetWriter.open(dir.resolve("bad.parquet"))) {
            TokenizedSequence shortLabels = packed();
            shortLabels.labels = new int[] {1};
            assertThatThrownBy(() -> writer.write(shortLabels)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("sequence of a.jsonl#1: 7 input_ids but 1 labels and 7 position_ids");

            TokenizedSequence badLengths = packed();
            badLengths.sequenceLengths = new int[] {4, 4};
            assertThatThrownBy(() -> writer.write(badLengths))
                    .hasMessage("sequence of a.jsonl#1: sequence_lengths sum to 8, not to the 7 input_ids");

            TokenizedSequence oneSource = packed();
            oneSource.sources = new String[] {"a.jsonl#1"};
            assertThatThrownBy(() -> writer.write(oneSource))
                    .hasMessage("sequence of a.jsonl#1: 2 packed sequences but 1 sources");

            TokenizedSequence noSplit = packed();
            noSplit.split = null;
            assertThatThrownBy(() -> writer.write(noSplit)).hasMessageContaining("must all be set");
            assertThat(writer.rows()).isZero();
        }
    }

    @Test
    void aFileWithoutTheColumnsIsNotReadAsPreTokenized() throws Exception {
        Path csvAsParquet = Files.writeString(dir.resolve("x.parquet"), "not parquet");

        assertThatThrownBy(() -> TokenizedParquetReader.open(csvAsParquet))
                .isInstanceOf(ParquetRecords.NotParquetException.class);
    }
}
