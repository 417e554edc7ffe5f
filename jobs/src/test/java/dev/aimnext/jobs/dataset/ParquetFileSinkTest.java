package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;
import dev.aimnext.operators.dataset.write.TokenizedParquetReader;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The sink's writer, driven by hand through the calls Flink makes at the end of input and on failure. */
class ParquetFileSinkTest {

    @TempDir
    Path dir;

    private static TokenizedSequence sequence(String source, int... ids) {
        TokenizedSequence s = new TokenizedSequence();
        s.split = "train";
        s.inputIds = ids;
        s.labels = ids.clone();
        s.positionIds = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            s.positionIds[i] = i;
        }
        s.sequenceLengths = new int[] {ids.length};
        s.sources = new String[] {source};
        return s;
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList();
        }
    }

    @Test
    void theFileAppearsOnlyAtTheEndOfInput() throws Exception {
        Path target = dir.resolve("train.parquet");
        ParquetFileSink.FileWriter writer = new ParquetFileSink.FileWriter(target);
        writer.write(sequence("a#1", 1, 2, 3), null);
        writer.write(sequence("a#2", 4), null);
        writer.flush(false); // a checkpoint publishes nothing
        assertThat(target).doesNotExist();
        assertThat(files()).containsExactly(writer.temporary());

        writer.flush(true);
        writer.close();

        assertThat(files()).containsExactly(target);
        assertThat(TokenizedParquetReader.readAll(target)).extracting(s -> s.sources[0]).containsExactly("a#1", "a#2");
    }

    @Test
    void aFailedRunLeavesNoPartialFileAndKeepsThePreviousOutput() throws Exception {
        Path target = dir.resolve("train.parquet");
        ParquetFileSink.FileWriter first = new ParquetFileSink.FileWriter(target);
        first.write(sequence("old#1", 9), null);
        first.flush(true);
        first.close();

        ParquetFileSink.FileWriter failed = new ParquetFileSink.FileWriter(target);
        failed.write(sequence("new#1", 1), null);
        failed.close(); // closed without end of input: the job failed or was cancelled

        assertThat(files()).containsExactly(target);
        assertThat(TokenizedParquetReader.readAll(target)).extracting(s -> s.sources[0]).containsExactly("old#1");
    }

    @Test
    void anEmptyInputStillGivesAReadableFile() throws Exception {
        Path target = dir.resolve("eval.parquet");
        ParquetFileSink.FileWriter writer = new ParquetFileSink.FileWriter(target);
        writer.flush(true);
        writer.close();

        assertThat(TokenizedParquetReader.readAll(target)).isEmpty();
    }
}
