package dev.aimnext.operators.dataset.write;

import dev.aimnext.operators.dataset.read.ParquetRecords;
import dev.aimnext.operators.dataset.tokenize.TokenizedSequence;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.MessageType;

/**
 * Reads back a file written by {@link TokenizedParquetWriter}, one row group in memory at a time:
 * for tests, and for tools that inspect a prepared dataset without Python.
 */
public final class TokenizedParquetReader implements Iterator<TokenizedSequence>, Closeable {

    private static final List<String> COLUMNS = List.of(TokenizedColumns.SPLIT, TokenizedColumns.INPUT_IDS,
            TokenizedColumns.LABELS, TokenizedColumns.POSITION_IDS, TokenizedColumns.SEQUENCE_LENGTHS,
            TokenizedColumns.SOURCES);

    private final ParquetRecords records;

    private TokenizedParquetReader(ParquetRecords records) {
        this.records = records;
    }

    /**
     * Opens a file and checks that it has the pre-tokenized columns.
     *
     * @throws IOException when the file is not Parquet, lacks a column, or cannot be read
     */
    public static TokenizedParquetReader open(Path file) throws IOException {
        ParquetRecords records = ParquetRecords.open(file);
        MessageType schema = records.schema();
        for (String column : COLUMNS) {
            if (!schema.containsField(column)) {
                records.close();
                throw new IOException(file.getFileName() + ": not a pre-tokenized dataset file, it has no column "
                        + column);
            }
        }
        return new TokenizedParquetReader(records);
    }

    /** Every sequence of a file, in file order. */
    public static List<TokenizedSequence> readAll(Path file) throws IOException {
        List<TokenizedSequence> all = new ArrayList<>();
        try (TokenizedParquetReader reader = open(file)) {
            reader.forEachRemaining(all::add);
        }
        return all;
    }

    @Override
    public boolean hasNext() {
        return records.hasNext();
    }

    @Override
    public TokenizedSequence next() {
        Group row = records.next();
        TokenizedSequence s = new TokenizedSequence();
        s.split = row.getFieldRepetitionCount(TokenizedColumns.SPLIT) == 0 ? null : row.getString(TokenizedColumns.SPLIT, 0);
        s.inputIds = ints(row, TokenizedColumns.INPUT_IDS);
        s.labels = ints(row, TokenizedColumns.LABELS);
        s.positionIds = ints(row, TokenizedColumns.POSITION_IDS);
        s.sequenceLengths = ints(row, TokenizedColumns.SEQUENCE_LENGTHS);
        Group sources = list(row, TokenizedColumns.SOURCES);
        s.sources = new String[sources == null ? 0 : sources.getFieldRepetitionCount(0)];
        for (int i = 0; i < s.sources.length; i++) {
            s.sources[i] = sources.getGroup(0, i).getString(0, 0);
        }
        return s;
    }

    private static int[] ints(Group row, String column) {
        Group list = list(row, column);
        int[] values = new int[list == null ? 0 : list.getFieldRepetitionCount(0)];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.getGroup(0, i).getInteger(0, 0);
        }
        return values;
    }

    private static Group list(Group row, String column) {
        return row.getFieldRepetitionCount(column) == 0 ? null : row.getGroup(column, 0);
    }

    @Override
    public void close() throws IOException {
        records.close();
    }
}
