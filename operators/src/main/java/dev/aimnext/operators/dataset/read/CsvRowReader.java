package dev.aimnext.operators.dataset.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.aimnext.operators.dataset.format.UnrecognizedFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Streams the rows of a UTF-8 CSV file (RFC 4180: comma separated, double quotes around cells that
 * hold commas, quotes or line breaks) as JSON objects keyed by the header row, one row in memory.
 *
 * <p>CSV has no nested values, so a cell whose trimmed text starts with {@code [} or <code>{</code>
 * is parsed as JSON: a {@code messages} or {@code conversations} column written as JSON text reads
 * like the same column in JSONL. A cell that does not parse stays text, as does every other cell
 * (empty cells are empty text, not null).
 *
 * <p>The row id is {@code <file>#<n>} with {@code n} the 1-based number of the data row: the header
 * is not counted and blank lines are skipped, so row {@code n} is {@code df.iloc[n-1]} of the same
 * file read by pandas. A row whose cell count differs from the header's becomes a {@link SourceRow}
 * with a parse error and reading goes on; broken quoting cannot be resynchronized, so the reader
 * returns one error row and stops.
 */
public final class CsvRowReader implements DatasetFileReader {

    private static final ObjectMapper JSON_CELLS =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String sourceName;
    private final MappingIterator<String[]> records;
    private final String[] header;
    private int index;
    private SourceRow next;
    private boolean finished;
    private boolean broken;

    private CsvRowReader(String sourceName, InputStream in) throws IOException {
        this.sourceName = sourceName;
        CsvMapper mapper = CsvMapper.builder()
                .enable(CsvParser.Feature.WRAP_AS_ARRAY)
                .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
                .build();
        this.records = mapper.readerFor(String[].class)
                .readValues(new InputStreamReader(in, StandardCharsets.UTF_8));
        String[] first;
        try {
            first = records.hasNextValue() ? records.nextValue() : null;
        } catch (JsonProcessingException e) {
            records.close();
            throw new UnrecognizedFormatException((sourceName + ": the CSV header row cannot be read " + position(e)).strip());
        }
        this.header = first == null ? null : checkedHeader(sourceName, first);
        this.finished = header == null; // an empty file has no rows
    }

    /** Opens a file; the row ids use its file name. */
    public static CsvRowReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            return new CsvRowReader(file.getFileName().toString(), in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads a stream; the caller names the source. */
    public static CsvRowReader open(String sourceName, InputStream in) throws IOException {
        return new CsvRowReader(sourceName, in);
    }

    private static String[] checkedHeader(String sourceName, String[] header) {
        if (header.length > 0 && header[0].startsWith("\uFEFF")) {
            header[0] = header[0].substring(1); // a UTF-8 byte order mark, as Excel writes
        }
        Set<String> seen = new HashSet<>();
        for (String column : header) {
            if (!seen.add(column)) {
                // Two values under one key: one would be dropped without a trace.
                throw new UnrecognizedFormatException(sourceName + ": the CSV header names column '" + column
                        + "' twice");
            }
        }
        return header;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            next = readRow();
            finished = next == null || broken;
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
        String[] cells;
        try {
            if (!records.hasNextValue()) {
                return null;
            }
            cells = records.nextValue();
        } catch (JsonProcessingException e) {
            index++;
            broken = true;
            return new SourceRow(rowId(), null, "invalid CSV " + position(e));
        } catch (IOException e) {
            throw new UncheckedIOException(sourceName + ": read failed", e);
        }
        index++;
        if (cells.length != header.length) {
            return new SourceRow(rowId(), null, "the row has " + cells.length + " cells, the header has "
                    + header.length);
        }
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < cells.length; i++) {
            row.set(header[i], cell(cells[i]));
        }
        return new SourceRow(rowId(), row, null);
    }

    private static JsonNode cell(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
            try {
                return JSON_CELLS.readTree(trimmed);
            } catch (JsonProcessingException e) {
                // Prose that happens to start with a bracket, such as "[citation needed]".
            }
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    private String rowId() {
        return sourceName + "#" + index;
    }

    /** Position only: the parser's own message quotes the offending text, which may be PII. */
    private static String position(JsonProcessingException e) {
        return e.getLocation() == null ? "" : "at line " + e.getLocation().getLineNr();
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
