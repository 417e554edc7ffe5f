package dev.aimnext.operators.dataset.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One raw row as read from a file, before format detection.
 *
 * @param rowId {@code <file name>#<n>}: the 1-based line of a JSONL file, the 1-based element of a
 *     JSON array, the 1-based data row of a CSV file (header not counted) or the 1-based record of a
 *     Parquet file, so a reject can be found in the source
 * @param node the parsed value, or {@code null} when the row cannot be read
 * @param parseError why the row could not be parsed, or {@code null}
 */
public record SourceRow(String rowId, JsonNode node, String parseError) {

    public SourceRow {
        Objects.requireNonNull(rowId, "rowId");
        if ((node == null) == (parseError == null)) {
            throw new IllegalArgumentException("exactly one of node and parseError must be set");
        }
    }

    public boolean parsed() {
        return node != null;
    }
}
