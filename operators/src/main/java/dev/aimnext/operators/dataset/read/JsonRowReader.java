package dev.aimnext.operators.dataset.read;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams the rows of a JSONL file or of a top-level JSON array, one row in memory at a time, so a
 * multi-gigabyte dataset is never loaded whole. The layout is decided by the first non-blank byte:
 * {@code [} means a JSON array, anything else JSONL.
 *
 * <p>A JSONL line that does not parse becomes a {@link SourceRow} with a parse error and reading
 * goes on with the next line, because one bad line must end up in the rejects file rather than fail
 * the job. A JSON array cannot be resynchronized after a syntax error, so the reader returns one
 * row with the error and stops.
 *
 * <p>CSV and Parquet files are read by {@link CsvRowReader} and {@link ParquetRowReader};
 * {@link DatasetFileReader#open} picks the reader by extension.
 */
public final class JsonRowReader implements Iterator<SourceRow>, Closeable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String sourceName;
    private final InputStream in;
    private final JsonParser arrayParser;
    private final BufferedReader lines;
    private int index;
    private SourceRow next;
    private boolean finished;

    private JsonRowReader(String sourceName, InputStream raw) throws IOException {
        this.sourceName = sourceName;
        this.in = raw.markSupported() ? raw : new BufferedInputStream(raw);
        if (startsWithBracket(in)) {
            this.arrayParser = MAPPER.getFactory().createParser(in);
            this.lines = null;
            if (arrayParser.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException(sourceName + ": expected a JSON array");
            }
        } else {
            this.arrayParser = null;
            this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    /** Opens a file; the row ids use its file name. */
    public static JsonRowReader open(Path file) throws IOException {
        return new JsonRowReader(file.getFileName().toString(), Files.newInputStream(file));
    }

    /** Reads a stream, for example one from a Flink file system; the caller names the source. */
    public static JsonRowReader open(String sourceName, InputStream in) throws IOException {
        return new JsonRowReader(sourceName, in);
    }

    private static boolean startsWithBracket(InputStream in) throws IOException {
        in.mark(1 << 16);
        int b;
        int skipped = 0;
        // Skip a UTF-8 byte order mark and whitespace; both are legal before the first value.
        do {
            b = in.read();
            skipped++;
        } while (b != -1 && (Character.isWhitespace(b) || b == 0xEF || b == 0xBB || b == 0xBF) && skipped < (1 << 16));
        in.reset();
        return b == '[';
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            next = arrayParser != null ? readArrayElement() : readLine();
            finished = next == null;
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

    private SourceRow readArrayElement() {
        try {
            JsonToken token = arrayParser.nextToken();
            if (token == null || token == JsonToken.END_ARRAY) {
                return null;
            }
            index++;
            JsonNode node = MAPPER.readTree(arrayParser);
            return new SourceRow(rowId(), node, null);
        } catch (IOException e) {
            finished = true;
            return new SourceRow(rowId(), null, parseError(e, true));
        }
    }

    private SourceRow readLine() {
        try {
            String line;
            do {
                line = lines.readLine();
                if (line == null) {
                    return null;
                }
                index++;
            } while (line.isBlank());
            if (index == 1 && line.charAt(0) == '\uFEFF') {
                line = line.substring(1); // a UTF-8 byte order mark, as some Windows editors write
            }
            try {
                return new SourceRow(rowId(), MAPPER.readTree(line), null);
            } catch (IOException e) {
                // The row id already names the line, so only the column is useful.
                return new SourceRow(rowId(), null, parseError(e, false));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(sourceName + ": read failed", e);
        }
    }

    private String rowId() {
        return sourceName + "#" + index;
    }

    /**
     * Names the position only: Jackson's own messages quote the offending text, and rejects must
     * not copy row content (it may hold PII) into reports.
     */
    private static String parseError(IOException e, boolean withLine) {
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
            JsonLocation at = jpe.getLocation();
            return withLine
                    ? "invalid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr()
                    : "invalid JSON at column " + at.getColumnNr();
        }
        return "invalid JSON";
    }

    @Override
    public void close() throws IOException {
        if (arrayParser != null) {
            arrayParser.close();
        }
        in.close();
    }
}
