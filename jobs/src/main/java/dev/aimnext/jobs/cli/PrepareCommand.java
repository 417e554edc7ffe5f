package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.dataset.DatasetOptions;
import dev.aimnext.jobs.dataset.DatasetPrepJob;
import dev.aimnext.jobs.dataset.DatasetSpec;
import dev.aimnext.jobs.dataset.TrainingTemplates;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.read.DatasetFileReader;
import dev.aimnext.operators.dataset.read.InputLocation;
import dev.aimnext.operators.dataset.stage.NoValidRowsException;
import dev.aimnext.operators.dataset.stage.PrepSettings;
import dev.aimnext.operators.dataset.stage.ReadFileFunction;
import dev.aimnext.operators.dataset.tokenize.LossMask;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * {@code aim prepare --input PATH[,PATH...] --output DIR [...]}: runs {@link DatasetPrepJob} on a
 * local Flink environment and prints progress and a short summary. A folder input means its
 * {@code .jsonl}, {@code .json}, {@code .csv} and {@code .parquet} files, sorted. Exit 1 when no valid rows remain.
 */
final class PrepareCommand {

    private static final int PROGRESS_INTERVAL_SECONDS = 5;

    private final CliArgs args;
    private final PrintStream out;
    private final PrintStream err;

    PrepareCommand(CliArgs args, PrintStream out, PrintStream err) {
        this.args = args;
        this.out = out;
        this.err = err;
    }

    int run() throws Exception {
        Configuration config = configuration();
        List<String> files = inputFiles(String.join(",", config.getOptional(DatasetOptions.INPUTS).orElseThrow(
                () -> new IllegalArgumentException("prepare needs --input PATH[,PATH...] (or inputs: in the --spec)"))));
        Path output = Path.of(config.getOptional(DatasetOptions.OUTPUT_DIR).orElseThrow(
                () -> new IllegalArgumentException("prepare needs --output DIR (or output-dir: in the --spec)")));
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new IllegalArgumentException("--output " + output + " is a file, not a folder");
        }
        if (config.contains(DatasetOptions.ON_OVERFLOW) && config.get(DatasetOptions.MAX_TOKENS) == 0) {
            throw new IllegalArgumentException("--on-overflow needs --max-tokens");
        }
        PrepSettings settings = DatasetOptions.settings(config);
        double nearDup = settings.nearDupThreshold();
        boolean piiScrub = settings.piiScrub();

        int parallelism = Math.max(1, Math.min(files.size(), Math.min(4, Runtime.getRuntime().availableProcessors())));
        out.println("aim prepare: " + files.size() + " input file(s) -> " + output.toAbsolutePath());
        for (String f : files) {
            out.println("  " + f + (InputLocation.isUri(f) ? "" : " (" + Files.size(Path.of(f)) + " bytes)"));
        }
        out.println("aim prepare: running the Flink batch job (parallelism " + parallelism
                + ", near-dup " + (nearDup > 0 ? "≥ " + nearDup : "off") + ", PII scrub " + (piiScrub ? "on" : "off") + ") ...");
        long start = System.nanoTime();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        try {
            JobClient job = DatasetPrepJob.toFiles(files, settings, output).executeAsync(env);
            followProgress(job, start);
        } catch (Exception e) {
            Optional<NoValidRowsException> noRows = cause(e, NoValidRowsException.class);
            if (noRows.isPresent()) {
                err.println("aim: " + noRows.get().getMessage() + "; see " + output.resolve("rejects.jsonl"));
                return 1;
            }
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            err.println("aim: the prepare job failed: " + root);
            return 1;
        }
        out.printf(Locale.ROOT, "aim prepare: done in %.1f s%n", (System.nanoTime() - start) / 1e9);
        printSummary(output);
        return 0;
    }

    /**
     * The job configuration: the {@code --spec} YAML if given, then the flags on top. Flags are
     * checked here so their errors name the flag; spec values are checked by {@link DatasetOptions}.
     */
    private Configuration configuration() throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        Optional<String> template = args.optional("template");
        if (template.isPresent()) {
            // the recipe's dataset: section is the base; a spec and the flags override it
            values.putAll(TrainingTemplates.datasetConfiguration(
                    TrainingTemplates.load(Path.of(template.get())), template.get()).toMap());
        }
        Optional<String> spec = args.optional("spec");
        if (spec.isPresent()) {
            Path specFile = Path.of(spec.get());
            if (!Files.isReadable(specFile)) {
                throw new IllegalArgumentException("cannot read --spec " + specFile);
            }
            values.putAll(DatasetSpec.load(specFile).toMap());
        }
        args.optional("input").ifPresent(v -> values.put(DatasetOptions.INPUTS.key(), v.replace(',', ';')));
        args.optional("output").ifPresent(v -> values.put(DatasetOptions.OUTPUT_DIR.key(), v));
        args.optional("format").ifPresent(v -> values.put(DatasetOptions.FORMAT.key(), format(v).name()));
        optionalFraction("eval-fraction").ifPresent(v -> values.put(DatasetOptions.EVAL_FRACTION.key(), v));
        args.optional("max-tokens").ifPresent(v -> values.put(DatasetOptions.MAX_TOKENS.key(), positiveInt("max-tokens", v)));
        args.optional("on-overflow").ifPresent(v -> values.put(DatasetOptions.ON_OVERFLOW.key(), overflow(v).name()));
        optionalFraction("near-dup-threshold").ifPresent(v -> values.put(DatasetOptions.NEAR_DUP_THRESHOLD.key(), v));
        if (args.flag("no-pii-scrub")) {
            values.put(DatasetOptions.PII_SCRUB.key(), "false");
        }
        args.optional("pii-action").ifPresent(v -> values.put(DatasetOptions.PII_ACTION.key(), piiAction(v)));
        args.optional("pii-policy").ifPresent(v -> values.put(DatasetOptions.PII_POLICY.key(), v));
        args.optional("chat-template").ifPresent(v -> values.put(DatasetOptions.CHAT_TEMPLATE.key(), v));
        args.optional("tokenizer").ifPresent(v -> values.put(DatasetOptions.TOKENIZER.key(), v));
        args.optional("loss-on").ifPresent(v -> values.put(DatasetOptions.LOSS_ON.key(), lossOn(v).name()));
        args.optional("pack").ifPresent(v -> values.put(DatasetOptions.PACK_MAX_SEQ_LEN.key(), positiveInt("pack", v)));
        if (args.flag("parquet")) {
            values.put(DatasetOptions.PARQUET.key(), "true");
        }
        args.requireConsumed();
        return DatasetSpec.configuration(values, spec.orElse("options"));
    }

    private static String piiAction(String v) {
        return switch (v) {
            case "mask" -> "MASK";
            case "drop" -> "DROP";
            default -> throw new IllegalArgumentException("--pii-action must be mask or drop, got '" + v + "'");
        };
    }

    private static LossMask lossOn(String v) {
        return switch (v) {
            case "assistant" -> LossMask.ASSISTANT;
            case "all" -> LossMask.ALL;
            default -> throw new IllegalArgumentException("--loss-on must be assistant or all, got '" + v + "'");
        };
    }

    /** Prints the rows read so far every few seconds until the job ends; its failure is rethrown. */
    private void followProgress(JobClient job, long start) throws Exception {
        CompletableFuture<JobExecutionResult> result = job.getJobExecutionResult();
        long lastRows = -1;
        while (true) {
            try {
                result.get(PROGRESS_INTERVAL_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException stillRunning) {
                long rows = rowsRead(job);
                if (rows != lastRows) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    out.printf(Locale.ROOT, "aim prepare: %,d rows read after %.0f s (%,.0f rows/s)%n", rows, seconds,
                            rows / seconds);
                    lastRows = rows;
                }
            }
        }
    }

    private static long rowsRead(JobClient job) {
        try {
            Object value = job.getAccumulators().get(5, TimeUnit.SECONDS).get(ReadFileFunction.ROWS_READ);
            return value instanceof Number n ? n.longValue() : 0L;
        } catch (Exception e) {
            return 0L; // progress is best effort; the job's own outcome is what counts
        }
    }

    private void printSummary(Path output) throws IOException {
        JsonNode m = new ObjectMapper().readTree(output.resolve("manifest.json").toFile());
        out.printf(Locale.ROOT, "rows in %d, kept %d (train %d, eval %d), rejected %d, exact duplicates %d, near duplicates %d%n",
                m.path("rows_in").asLong(), m.path("kept").asLong(), m.path("train").asLong(), m.path("eval").asLong(),
                m.path("rejected").asLong(), m.path("dedup").path("exact_duplicates").asLong(),
                m.path("dedup").path("near_duplicates").asLong());
        List<Map.Entry<String, JsonNode>> reasons = new ArrayList<>();
        m.path("rejected_by_reason").fields().forEachRemaining(reasons::add);
        reasons.sort((a, b) -> Long.compare(b.getValue().asLong(), a.getValue().asLong()));
        if (!reasons.isEmpty()) {
            StringBuilder top = new StringBuilder("top reject reasons:");
            reasons.stream().limit(3).forEach(e -> top.append(' ').append(e.getKey()).append(" (")
                    .append(e.getValue().asLong()).append(')'));
            out.println(top);
        }
        JsonNode t = m.path("tokens");
        out.printf(Locale.ROOT, "tokens (%s%s) p50 %d, p90 %d, max %d; %d training tokens per epoch, %d of them in the loss%n",
                t.path("estimated").asBoolean() ? "estimated" : "tokenizer.json",
                t.path("chat_template").isTextual() ? ", " + t.path("chat_template").asText() + " template" : "",
                t.path("p50").asLong(), t.path("p90").asLong(), t.path("max").asLong(),
                m.path("estimated_training_tokens_per_epoch").asLong(), m.path("loss_tokens_per_epoch").asLong());
        JsonNode sequences = m.path("sequences");
        if (sequences.isObject()) {
            out.printf(Locale.ROOT, "%d training sequences%s%n", sequences.path("count").asLong(),
                    sequences.path("packed").asBoolean() ? String.format(Locale.ROOT, ", packed into %d tokens (fill %.1f%%)",
                            sequences.path("max_seq_len").asLong(), 100 * sequences.path("fill_ratio").asDouble()) : "");
        }
        for (String name : List.of("train.jsonl", "eval.jsonl", "train.parquet", "eval.parquet", "rejects.jsonl", "manifest.json")) {
            if (Files.exists(output.resolve(name))) {
                out.println("  " + output.resolve(name));
            }
        }
    }

    private static List<String> inputFiles(String input) throws IOException {
        List<String> files = new ArrayList<>();
        for (String part : input.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (InputLocation.isUri(p)) {
                files.addAll(remoteFiles(p));
                continue;
            }
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                try (Stream<Path> list = Files.list(path)) {
                    list.filter(Files::isRegularFile)
                            .filter(f -> DatasetFileReader.accepts(f.getFileName().toString()))
                            .map(Path::toString).sorted().forEach(files::add);
                }
            } else if (Files.isReadable(path)) {
                files.add(path.toString());
            } else {
                throw new IllegalArgumentException("cannot read input " + p);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no " + String.join(", ", DatasetFileReader.EXTENSIONS)
                    + " input files in " + input);
        }
        return files;
    }

    /** A file or folder behind a URI, listed through Flink's file systems (plugins for s3://, gs://, ...). */
    private static List<String> remoteFiles(String uri) throws IOException {
        org.apache.flink.core.fs.Path path = new org.apache.flink.core.fs.Path(uri);
        FileStatus status;
        try {
            status = path.getFileSystem().getFileStatus(path);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read input " + uri + ": " + e.getMessage());
        }
        if (!status.isDir()) {
            return List.of(uri);
        }
        List<String> files = new ArrayList<>();
        for (FileStatus child : path.getFileSystem().listStatus(path)) {
            if (!child.isDir() && DatasetFileReader.accepts(child.getPath().getName())) {
                files.add(child.getPath().toString());
            }
        }
        files.sort(null);
        return files;
    }

    private static DatasetFormat format(String name) {
        return DatasetSpec.formatByShortName(name).orElseThrow(() -> new IllegalArgumentException(
                "--format must be alpaca, sharegpt, openai, completion or preference, got '" + name + "'"));
    }

    private static OverLengthPolicy overflow(String name) {
        return switch (name) {
            case "drop" -> OverLengthPolicy.DROP;
            case "truncate" -> OverLengthPolicy.TRUNCATE;
            default -> throw new IllegalArgumentException("--on-overflow must be drop or truncate, got '" + name + "'");
        };
    }

    private static String positiveInt(String name, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return Integer.toString(n);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a positive whole number, got '" + v + "'");
    }

    /** A value in [0, 1); 0 means "none" (no eval split, near-dup off). */
    private Optional<String> optionalFraction(String name) {
        Optional<String> v = args.optional(name);
        if (v.isEmpty()) {
            return v;
        }
        try {
            double d = Double.parseDouble(v.get());
            if (d >= 0 && d < 1) {
                return Optional.of(Double.toString(d));
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a number in [0, 1), got '" + v.get() + "'");
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }
}
