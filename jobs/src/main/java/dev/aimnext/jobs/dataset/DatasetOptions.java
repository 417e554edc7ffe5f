package dev.aimnext.jobs.dataset;

import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.stage.PiiRowAction;
import dev.aimnext.operators.dataset.stage.PiiScrubSettings;
import dev.aimnext.operators.dataset.stage.PrepSettings;
import dev.aimnext.operators.dataset.stage.TokenizationSettings;
import dev.aimnext.operators.dataset.template.ChatTemplate;
import dev.aimnext.operators.dataset.template.ChatTemplates;
import dev.aimnext.operators.dataset.tokenize.LossMask;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Settings of the dataset preparation job. The README's "Dataset preparation" section lists the same keys. */
public final class DatasetOptions {

    private DatasetOptions() {}

    public static final ConfigOption<List<String>> INPUTS =
            ConfigOptions.key("aim.dataset.inputs")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription("Input files (JSONL, JSON arrays, CSV or Parquet); each file is read by one task.");

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
                    .withDescription("Token limit per conversation's message text, counted with the tokenizer if set; 0 for none.");

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

    public static final ConfigOption<PiiRowAction> PII_ACTION =
            ConfigOptions.key("aim.dataset.pii-action")
                    .enumType(PiiRowAction.class)
                    .defaultValue(PiiRowAction.MASK)
                    .withDescription("MASK keeps rows with PII treated as the policy says; DROP rejects them (pii_found).");

    public static final ConfigOption<String> PII_POLICY =
            ConfigOptions.key("aim.dataset.pii-policy")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("A guardrail policy YAML (as the guardrail job's --policy) for the scrub; "
                            + "the default policy masks.");

    public static final ConfigOption<String> CHAT_TEMPLATE =
            ConfigOptions.key("aim.dataset.chat-template")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Render conversations with this chat template: chatml, llama3, mistral, gemma, phi3, "
                            + "or a tokenizer_config.json (or its model folder) whose chat_template is used.");

    public static final ConfigOption<String> TOKENIZER =
            ConfigOptions.key("aim.dataset.tokenizer")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("The model's tokenizer.json (or its folder) for exact token counts; "
                            + "without it counts are a 4-characters-per-token estimate.");

    public static final ConfigOption<LossMask> LOSS_ON =
            ConfigOptions.key("aim.dataset.loss-on")
                    .enumType(LossMask.class)
                    .defaultValue(LossMask.ASSISTANT)
                    .withDescription("ASSISTANT trains on assistant turns only (labels -100 elsewhere); ALL on every token.");

    public static final ConfigOption<Integer> PACK_MAX_SEQ_LEN =
            ConfigOptions.key("aim.dataset.pack-max-seq-len")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Pack conversations greedily into sequences of this many tokens (Parquet output, "
                            + "needs chat-template and tokenizer); 0 for no packing.");

    public static final ConfigOption<Boolean> PARQUET =
            ConfigOptions.key("aim.dataset.parquet")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Also write pre-tokenized train.parquet and eval.parquet (needs chat-template and tokenizer).");

    /** Every option, for the YAML spec's strict key check and the README table test. */
    public static final List<ConfigOption<?>> ALL = List.of(INPUTS, FORMAT, OUTPUT_DIR, EVAL_FRACTION, MAX_TOKENS,
            ON_OVERFLOW, NEAR_DUP_THRESHOLD, PII_SCRUB, PII_ACTION, PII_POLICY, CHAT_TEMPLATE, TOKENIZER, LOSS_ON, PACK_MAX_SEQ_LEN, PARQUET);

    /** The stage settings from a configuration; invalid values fail here, before the job starts. */
    public static PrepSettings settings(Configuration config) {
        return new PrepSettings(
                config.getOptional(FORMAT).orElse(null),
                config.get(MAX_TOKENS),
                config.get(ON_OVERFLOW),
                config.get(PII_SCRUB),
                config.get(NEAR_DUP_THRESHOLD),
                config.get(EVAL_FRACTION),
                tokenization(config),
                piiScrub(config));
    }

    private static PiiScrubSettings piiScrub(Configuration config) {
        boolean drop = config.get(PII_ACTION) == PiiRowAction.DROP;
        Optional<String> policy = config.getOptional(PII_POLICY);
        if (policy.isEmpty()) {
            return new PiiScrubSettings(drop, null, null);
        }
        try {
            return new PiiScrubSettings(drop, Files.readString(Path.of(policy.get())), policy.get());
        } catch (IOException e) {
            throw new IllegalArgumentException(PII_POLICY.key() + ": cannot read " + policy.get() + ": " + e.getMessage(), e);
        }
    }

    private static TokenizationSettings tokenization(Configuration config) {
        ChatTemplate template = config.getOptional(CHAT_TEMPLATE).map(DatasetOptions::template).orElse(null);
        String tokenizer = config.getOptional(TOKENIZER).map(DatasetOptions::tokenizerFile).orElse(null);
        return new TokenizationSettings(template, tokenizer, config.get(LOSS_ON), config.get(PACK_MAX_SEQ_LEN),
                config.get(PARQUET));
    }

    private static ChatTemplate template(String nameOrPath) {
        try {
            return ChatTemplates.resolve(nameOrPath);
        } catch (IOException e) {
            throw new IllegalArgumentException(CHAT_TEMPLATE.key() + ": cannot read " + nameOrPath + ": " + e.getMessage(), e);
        }
    }

    /** Checks the tokenizer exists before the job starts, so a typo fails fast rather than in every task. */
    private static String tokenizerFile(String path) {
        Path p = Path.of(path);
        Path file = Files.isDirectory(p) ? p.resolve("tokenizer.json") : p;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(TOKENIZER.key() + ": no tokenizer.json at " + path);
        }
        return file.toAbsolutePath().toString();
    }
}
