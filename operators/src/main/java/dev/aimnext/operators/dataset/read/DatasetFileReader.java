package dev.aimnext.operators.dataset.read;

import dev.aimnext.operators.dataset.format.UnrecognizedFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The rows of one input file of dataset prep, whatever its file type, as {@link SourceRow}s: the
 * JSON the rest of the pipeline detects the format of, validates and normalizes. {@link #open}
 * picks the reader by extension:
 *
 * <ul>
 *   <li>{@code .jsonl}, {@code .json}: {@link JsonRowReader} (JSON lines, or one top-level array);
 *   <li>{@code .csv}: {@link CsvRowReader} (a header row, one object per data row, JSON cells parsed);
 *   <li>{@code .parquet}: {@link ParquetRowReader} (one object per record, no Hadoop needed).
 * </ul>
 *
 * <p>A row that cannot be read becomes a {@link SourceRow} with a parse error, so it ends up in the
 * rejects with the rest of the file still prepared. A file that cannot be read at all (an unknown
 * extension, a damaged Parquet footer, a CSV header that names a column twice) is an
 * {@link UnrecognizedFormatException}, which the read stage turns into one reject for the whole file.
 */
public interface DatasetFileReader extends Iterator<SourceRow>, Closeable {

    /** The file name endings {@link #open} accepts, in lower case. */
    List<String> EXTENSIONS = List.of(".jsonl", ".json", ".csv", ".parquet");

    /** Whether {@link #open} reads files with this name (compared case-insensitively). */
    static boolean accepts(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /**
     * Opens a local file with the reader its extension calls for; the row ids use its file name.
     *
     * @throws UnrecognizedFormatException when the extension is not one of {@link #EXTENSIONS} or
     *     the file's structure cannot be read at all
     * @throws IOException when the file cannot be read
     */
    static DatasetFileReader open(Path file) throws IOException {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jsonl") || lower.endsWith(".json")) {
            return new JsonFileReader(JsonRowReader.open(file));
        }
        if (lower.endsWith(".csv")) {
            return CsvRowReader.open(file);
        }
        if (lower.endsWith(".parquet")) {
            return ParquetRowReader.open(file);
        }
        throw new UnrecognizedFormatException(name + ": unsupported file type; dataset prep reads "
                + String.join(", ", EXTENSIONS) + " files");
    }
}
