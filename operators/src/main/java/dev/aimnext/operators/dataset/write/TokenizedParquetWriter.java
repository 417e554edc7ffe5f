package dev.aimnext.operators.dataset.write;

import dev.aimnext.operators.dataset.read.ParquetCodecs;
import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;

/**
 * Writes pre-tokenized training sequences to one local Parquet file with the columns of
 * {@link TokenizedColumns}, snappy-compressed (what pyarrow and {@code datasets} write by default,
 * so every Parquet reader opens it). No Hadoop installation is needed.
 *
 * <p>Each sequence is checked before it is written: a file whose {@code labels} do not line up with
 * its {@code input_ids} would only fail later, inside the trainer, far from the cause. The file is
 * complete only after {@link #close()}; callers that must never leave a partial file write to a
 * temporary path and move it into place (see the dataset job's Parquet sink).
 */
public final class TokenizedParquetWriter implements Closeable {

    /**
     * 64 MiB: half of parquet-java's default, because the sink buffers a whole row group in the
     * heap of one task; still large enough for efficient scans.
     */
    public static final int ROW_GROUP_BYTES = 64 * 1024 * 1024;

    private final Path file;
    private final ParquetWriter<TokenizedSequence> writer;
    private long rows;

    private TokenizedParquetWriter(Path file, ParquetWriter<TokenizedSequence> writer) {
        this.file = file;
        this.writer = writer;
    }

    /** Creates (or overwrites) {@code file}, creating its parent directories. */
    public static TokenizedParquetWriter open(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        ParquetWriter<TokenizedSequence> writer = new Builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(ParquetCodecs.INSTANCE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize((long) ROW_GROUP_BYTES)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
        return new TokenizedParquetWriter(file, writer);
    }

    /**
     * Appends one sequence.
     *
     * @throws IllegalArgumentException when a field is missing or the per-token arrays, the
     *     sequence lengths and the sources do not line up
     */
    public void write(TokenizedSequence sequence) throws IOException {
        check(sequence);
        writer.write(sequence);
        rows++;
    }

    /** The number of sequences written so far. */
    public long rows() {
        return rows;
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    /** Writes the footer; the file is readable from then on. */
    @Override
    public void close() throws IOException {
        writer.close();
    }

    static void check(TokenizedSequence s) {
        String what = s.sources != null && s.sources.length > 0 ? "sequence of " + s.sources[0] : "sequence";
        if (s.split == null || s.inputIds == null || s.labels == null || s.positionIds == null
                || s.sequenceLengths == null || s.sources == null) {
            throw new IllegalArgumentException(what + ": split, inputIds, labels, positionIds, sequenceLengths"
                    + " and sources must all be set");
        }
        int tokens = s.inputIds.length;
        if (s.labels.length != tokens || s.positionIds.length != tokens) {
            throw new IllegalArgumentException(what + ": " + tokens + " input_ids but " + s.labels.length
                    + " labels and " + s.positionIds.length + " position_ids");
        }
        long packed = Arrays.stream(s.sequenceLengths).asLongStream().sum();
        if (packed != tokens) {
            throw new IllegalArgumentException(what + ": sequence_lengths sum to " + packed + ", not to the "
                    + tokens + " input_ids");
        }
        if (s.sources.length != s.sequenceLengths.length) {
            throw new IllegalArgumentException(what + ": " + s.sequenceLengths.length + " packed sequences but "
                    + s.sources.length + " sources");
        }
    }

    /** parquet-java's builder, pointed at {@link TokenizedWriteSupport}. */
    private static final class Builder extends ParquetWriter.Builder<TokenizedSequence, Builder> {

        Builder(OutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<TokenizedSequence> getWriteSupport(ParquetConfiguration conf) {
            return new TokenizedWriteSupport();
        }

        /** Abstract in the base class; unused, because {@link #open} sets a ParquetConfiguration. */
        @Override
        protected WriteSupport<TokenizedSequence> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new TokenizedWriteSupport();
        }
    }
}
