package dev.aimnext.operators.dataset.format;

import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.read.SourceRow;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides one format per file from its first rows, or takes the user's override.
 *
 * <p>The format is decided per file rather than per row so that a malformed row is validated
 * against the format of its neighbours (and rejected with a precise reason) instead of being
 * re-detected as something else. The first {@code sampleRows} rows vote; rows that match no layout
 * do not vote, and the most frequent format wins (ties go to the earlier enum constant, which is
 * deterministic).
 */
public final class FileFormatDetector {

    /** Enough rows to outvote a few broken ones at the top of a file, cheap to read. */
    public static final int DEFAULT_SAMPLE_ROWS = 32;

    private final int sampleRows;
    private final DatasetFormat override;

    private FileFormatDetector(int sampleRows, DatasetFormat override) {
        if (sampleRows < 1) {
            throw new IllegalArgumentException("sampleRows must be at least 1, was " + sampleRows);
        }
        this.sampleRows = sampleRows;
        this.override = override;
    }

    /** Detects from the first {@link #DEFAULT_SAMPLE_ROWS} rows. */
    public static FileFormatDetector automatic() {
        return new FileFormatDetector(DEFAULT_SAMPLE_ROWS, null);
    }

    /** Detects from the first {@code sampleRows} rows. */
    public static FileFormatDetector sampling(int sampleRows) {
        return new FileFormatDetector(sampleRows, null);
    }

    /** Skips detection: every file is read as {@code format}. */
    public static FileFormatDetector forced(DatasetFormat format) {
        return new FileFormatDetector(DEFAULT_SAMPLE_ROWS, Objects.requireNonNull(format, "format"));
    }

    public Optional<DatasetFormat> override() {
        return Optional.ofNullable(override);
    }

    /**
     * Decides the format of a file from the rows it starts with; consumes at most
     * {@code sampleRows} rows of the iterator (the caller reopens the file to read it fully).
     *
     * @throws UnrecognizedFormatException when no sampled row matches a known layout
     */
    public DatasetFormat detect(String sourceName, Iterator<SourceRow> rows) {
        if (override != null) {
            return override;
        }
        Map<DatasetFormat, Integer> votes = new EnumMap<>(DatasetFormat.class);
        int seen = 0;
        while (seen < sampleRows && rows.hasNext()) {
            SourceRow row = rows.next();
            seen++;
            if (row.parsed()) {
                RowFormatDetector.detect(row.node()).ifPresent(f -> votes.merge(f, 1, Integer::sum));
            }
        }
        int sampled = seen;
        return votes.entrySet().stream()
                .max(Map.Entry.<DatasetFormat, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .map(Map.Entry::getKey)
                .orElseThrow(() -> new UnrecognizedFormatException(sourceName + ": none of the first " + sampled
                        + " rows matches alpaca, sharegpt, OpenAI messages, completion or preference pairs;"
                        + " set the format explicitly if the file is one of these"));
    }
}
