package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.stage.PrepSettings;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.util.List;

/** Settings of the dataset preparation job. The README's "Dataset preparation" section lists the same keys. */
public final class DatasetOptions {

    private DatasetOptions() {}

    public static final ConfigOption<List<String>> INPUTS =
            ConfigOptions.key("aim.dataset.inputs")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription("Input files (JSONL or JSON arrays); each file is read by one task.");

    public static final ConfigOption<DatasetFormat> FORMAT =
            ConfigOptions.key("aim.dataset.format")
                    .enumType(DatasetFormat.class)
                    .noDefaultValue()
                    .withDescription("Read every file as this format instead of detecting it per file.");

    public static final ConfigOption<String> OUTPUT_DIR =
            ConfigOptions.key("aim.dataset.output-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Folder for train.jsonl, eval.jsonl, rejects.jsonl and manifest.json.");

    public static final ConfigOption<Double> EVAL_FRACTION =
            ConfigOptions.key("aim.dataset.eval-fraction")
                    .doubleType()
                    .defaultValue(0.05)
                    .withDescription("Share of rows, chosen by content hash, written to eval.jsonl.");

    public static final ConfigOption<Integer> MAX_TOKENS =
            ConfigOptions.key("aim.dataset.max-tokens")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Token limit per conversation (estimated); 0 for none.");

    public static final ConfigOption<OverLengthPolicy> ON_OVERFLOW =
            ConfigOptions.key("aim.dataset.on-overflow")
                    .enumType(OverLengthPolicy.class)
                    .defaultValue(OverLengthPolicy.DROP)
                    .withDescription("DROP rejects a row over the limit; TRUNCATE keeps whole turns that fit.");

    public static final ConfigOption<Double> NEAR_DUP_THRESHOLD =
            ConfigOptions.key("aim.dataset.near-dup-threshold")
                    .doubleType()
                    .defaultValue(0.8)
                    .withDescription("Estimated Jaccard similarity at or above which rows are near-duplicates; 0 turns it off.");

    public static final ConfigOption<Boolean> PII_SCRUB =
            ConfigOptions.key("aim.dataset.pii-scrub")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Mask PII in every message with the default guardrail policy.");

    /** The stage settings from a configuration; invalid values fail here, before the job starts. */
    public static PrepSettings settings(Configuration config) {
        return new PrepSettings(
                config.getOptional(FORMAT).orElse(null),
                config.get(MAX_TOKENS),
                config.get(ON_OVERFLOW),
                config.get(PII_SCRUB),
                config.get(NEAR_DUP_THRESHOLD),
                config.get(EVAL_FRACTION));
    }
}
