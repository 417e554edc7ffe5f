package dev.aimnext.operators.dataset.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import java.util.Optional;

/**
 * Recognizes the format of a single row by its keys. The order of the checks matters:
 * {@code chosen}+{@code rejected} wins over {@code prompt} (TRL preference rows carry a prompt too)
 * and {@code messages}/{@code conversations} win over alpaca keys, because some chat exports also
 * keep an {@code instruction} field as metadata.
 */
public final class RowFormatDetector {

    private RowFormatDetector() {
    }

    /** The row's format, or empty when it is not an object or matches no known layout. */
    public static Optional<DatasetFormat> detect(JsonNode row) {
        if (row == null || !row.isObject()) {
            return Optional.empty();
        }
        if (row.has("chosen") && row.has("rejected")) {
            return Optional.of(DatasetFormat.PREFERENCE);
        }
        if (row.has("messages")) {
            return Optional.of(DatasetFormat.OPENAI_MESSAGES);
        }
        if (row.has("conversations")) {
            return Optional.of(DatasetFormat.SHAREGPT);
        }
        if (row.has("instruction") && (row.has("output") || row.has("response"))) {
            return Optional.of(DatasetFormat.ALPACA);
        }
        if (row.has("prompt") && row.has("completion")) {
            return Optional.of(DatasetFormat.COMPLETION);
        }
        return Optional.empty();
    }
}
