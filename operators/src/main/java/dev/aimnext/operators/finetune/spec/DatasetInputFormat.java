package dev.aimnext.operators.finetune.spec;

import java.util.Locale;

/**
 * The layout of {@code spec.dataset.source}. The raw chat layouts go through the dataset job first;
 * a file type ({@code jsonl}, as the seed's CRD example writes, {@code json}, {@code csv},
 * {@code parquet}) says how to read the files and leaves the row layout to detection;
 * {@code prepared} names a folder the dataset job already wrote ({@code manifest.json},
 * {@code train.parquet}); {@code classification} is {@code text}/{@code label} JSONL for guardrail heads.
 */
public enum DatasetInputFormat {
    /** Detect alpaca, sharegpt, openai or completion per file, as the dataset job does by default. */
    AUTO,
    /** File types: read as such, row layout detected as for {@link #AUTO}. */
    JSONL,
    JSON,
    CSV,
    PARQUET,
    ALPACA,
    SHAREGPT,
    OPENAI,
    COMPLETION,
    PREPARED,
    CLASSIFICATION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The dataset job's {@code format} setting for this layout ({@code alpaca}, {@code sharegpt},
     * {@code openai}, {@code completion}), or {@code null} to let it detect the layout per file.
     */
    public String datasetJobFormat() {
        return switch (this) {
            case ALPACA, SHAREGPT, OPENAI, COMPLETION -> id();
            default -> null;
        };
    }

    /** Whether the dataset job must run before training. */
    public boolean needsPreparation() {
        return this != PREPARED;
    }
}
