package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;
import dev.aimnext.operators.dataset.write.TokenizedParquetWriter;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Writes every pre-tokenized sequence into a single local Parquet file (columns in
 * {@link dev.aimnext.operators.dataset.write.TokenizedColumns}), for a trainer to open directly.
 * Run it with parallelism 1, like {@link SingleFileSink}.
 *
 * <p>Rows go to a hidden temporary file next to the target, and the file is moved into place only
 * at the end of the input, once its footer is written: a Parquet file without a footer cannot be
 * opened at all, so a failed or cancelled job must not leave one where a trainer looks. On failure
 * the temporary file is deleted and an earlier output at the target is left as it was.
 */
public final class ParquetFileSink implements Sink<TokenizedSequence> {

    private static final long serialVersionUID = 1L;

    private final String path;

    public ParquetFileSink(Path path) {
        this.path = path.toString();
    }

    @Override
    public SinkWriter<TokenizedSequence> createWriter(WriterInitContext context) throws IOException {
        if (context.getTaskInfo().getNumberOfParallelSubtasks() != 1) {
            throw new IllegalStateException("ParquetFileSink must run with parallelism 1: " + path);
        }
        return new FileWriter(Path.of(path));
    }

    /** Writes to a temporary file and moves it to {@code target} at the end of the input. */
    static final class FileWriter implements SinkWriter<TokenizedSequence> {

        private final Path target;
        private final Path temporary;
        private final TokenizedParquetWriter out;
        private boolean published;

        FileWriter(Path target) throws IOException {
            this.target = target;
            // A leading dot and no .parquet ending: folder listings and globs for *.parquet skip it.
            this.temporary = target.resolveSibling("." + target.getFileName() + ".inprogress-" + UUID.randomUUID());
            this.out = TokenizedParquetWriter.open(temporary);
        }

        /** The file rows are written to until the end of the input. */
        Path temporary() {
            return temporary;
        }

        @Override
        public void write(TokenizedSequence element, Context context) throws IOException {
            out.write(element);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            // Checkpoints need nothing: a bounded job that fails is rerun from the start.
            if (endOfInput && !published) {
                out.close();
                try {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
                published = true;
            }
        }

        /** Without a preceding end of input the job failed or was cancelled: drop the partial file. */
        @Override
        public void close() throws IOException {
            if (!published) {
                try {
                    out.close();
                } finally {
                    Files.deleteIfExists(temporary);
                }
            }
        }
    }
}
