package dev.aimnext.operators.dataset.read;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimnext.operators.dataset.format.UnrecognizedFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Streams the records of a local Parquet file as JSON objects (see {@link ParquetJson} for the
 * mapping), one row group in memory at a time, as pyarrow, pandas, polars, DuckDB and the Hugging
 * Face hub write them. No Hadoop installation is needed.
 *
 * <p>The row id is {@code <file>#<n>} with {@code n} the 1-based record number in the file. A
 * file whose footer cannot be read, or that uses a compression {@link ParquetCodecs} does not
 * support, is an {@link UnrecognizedFormatException} at open; data that fails to decode mid-file
 * becomes one row with a parse error, and reading stops there because the rest of that row group
 * cannot be trusted.
 */
public final class ParquetRowReader implements DatasetFileReader {

    private final String sourceName;
    private final ParquetRecords records;
    private long index;
    private SourceRow next;
    private boolean finished;

    private ParquetRowReader(String sourceName, ParquetRecords records) {
        this.sourceName = sourceName;
        this.records = records;
    }

    /**
     * Opens a file and checks its footer; the row ids use its file name.
     *
     * @throws UnrecognizedFormatException when the file is not Parquet or a column uses an
     *     unsupported compression
     */
    public static ParquetRowReader open(Path file) throws IOException {
        String name = file.getFileName().toString();
        ParquetRecords records;
        try {
            records = ParquetRecords.open(file);
        } catch (ParquetRecords.NotParquetException e) {
            throw new UnrecognizedFormatException(e.getMessage());
        }
        CompressionCodecName unsupported = ParquetCodecs.unsupportedIn(records.codecs());
        if (unsupported != null) {
            records.close();
            throw new UnrecognizedFormatException(name + ": compressed with " + unsupported
                    + ", which dataset prep cannot read; rewrite it with snappy or zstd, for example"
                    + " pyarrow.parquet.write_table(table, path, compression='zstd')");
        }
        return new ParquetRowReader(name, records);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            next = readRow();
            finished = next == null || !next.parsed();
        }
        return next != null;
    }

    @Override
    public SourceRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        SourceRow row = next;
        next = null;
        return row;
    }

    private SourceRow readRow() {
        long number = index + 1;
        try {
            if (!records.hasNext()) {
                return null;
            }
            JsonNode row = ParquetJson.record(records.next());
            index = number;
            return new SourceRow(rowId(), row, null);
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(sourceName + ": read failed", e.getCause());
        } catch (RuntimeException e) {
            // ParquetDecodingException and the like: a corrupt page. The message names the position
            // only, because decoder messages can quote values.
            index = number;
            return new SourceRow(rowId(), null, "invalid Parquet data (" + e.getClass().getSimpleName() + ")");
        }
    }

    private String rowId() {
        return sourceName + "#" + index;
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
