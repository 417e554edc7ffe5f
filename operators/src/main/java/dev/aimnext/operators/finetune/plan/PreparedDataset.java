package dev.aimnext.operators.finetune.plan;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The dataset files a trainer reads, as the trainer config names them.
 *
 * @param train the train split
 * @param eval the eval split, or {@code null} when there is none (then no EVAL events)
 * @param format {@code tokenized_parquet}, {@code jsonl} (messages) or {@code classification_jsonl} (text/label)
 * @param contentHash the prepared dataset's content hash from its manifest, e.g. {@code sha256:...}
 */
public record PreparedDataset(Path train, Path eval, String format, String contentHash) {

    public static final String TOKENIZED_PARQUET = "tokenized_parquet";
    public static final String JSONL = "jsonl";
    public static final String CLASSIFICATION_JSONL = "classification_jsonl";

    public PreparedDataset {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(format, "format");
        if (!format.equals(TOKENIZED_PARQUET) && !format.equals(JSONL) && !format.equals(CLASSIFICATION_JSONL)) {
            throw new IllegalArgumentException("dataset format must be " + TOKENIZED_PARQUET + ", " + JSONL + " or "
                    + CLASSIFICATION_JSONL + ", got " + format);
        }
    }
}
