package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.dataset.DatasetPrepJob;
import dev.aimnext.operators.dataset.model.DatasetFormat;
import dev.aimnext.operators.dataset.stage.NoValidRowsException;
import dev.aimnext.operators.dataset.stage.PrepSettings;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code aim prepare --input PATH[,PATH...] --output DIR [...]}: runs {@link DatasetPrepJob} on a
 * local Flink environment and prints progress and a short summary. A folder input means its
 * {@code .json} and {@code .jsonl} files, sorted. Exit 1 when no valid rows remain.
 */
final class PrepareCommand {

    private static final Map<String, DatasetFormat> FORMATS = Map.of(
            "alpaca", DatasetFormat.ALPACA,
            "sharegpt", DatasetFormat.SHAREGPT,
            "openai", DatasetFormat.OPENAI_MESSAGES,
            "completion", DatasetFormat.COMPLETION,
            "preference", DatasetFormat.PREFERENCE);

    private final CliArgs args;
    private final PrintStream out;
    private final PrintStream err;

    PrepareCommand(CliArgs args, PrintStream out, PrintStream err) {
        this.args = args;
        this.out = out;
        this.err = err;
    }

    int run() throws Exception {
        String input = args.optional("input").orElseThrow(
                () -> new IllegalArgumentException("prepare needs --input PATH[,PATH...]"));
        Path output = Path.of(args.optional("output").orElseThrow(
                () -> new IllegalArgumentException("prepare needs --output DIR")));
        DatasetFormat format = args.optional("format").map(PrepareCommand::format).orElse(null);
        double evalFraction = fraction("eval-fraction", 0.05, true);
        int maxTokens = args.optional("max-tokens").map(PrepareCommand::positiveInt).orElse(0);
        Optional<String> overflow = args.optional("on-overflow");
        if (overflow.isPresent() && maxTokens == 0) {
            throw new IllegalArgumentException("--on-overflow needs --max-tokens");
        }
        OverLengthPolicy policy = overflow.map(PrepareCommand::overflow).orElse(OverLengthPolicy.DROP);
        double nearDup = fraction("near-dup-threshold", 0.8, true);
        boolean piiScrub = !args.flag("no-pii-scrub");
        args.requireConsumed();
        List<String> files = inputFiles(input);
        if (Files.exists(output) && !Files.isDirectory(output)) {
            throw new IllegalArgumentException("--output " + output + " is a file, not a folder");
        }
        PrepSettings settings = new PrepSettings(format, maxTokens, policy, piiScrub, nearDup, evalFraction);

        int parallelism = Math.max(1, Math.min(files.size(), Math.min(4, Runtime.getRuntime().availableProcessors())));
        out.println("aim prepare: " + files.size() + " input file(s) -> " + output.toAbsolutePath());
        for (String f : files) {
            out.println("  " + f + " (" + Files.size(Path.of(f)) + " bytes)");
        }
        out.println("aim prepare: running the Flink batch job (parallelism " + parallelism
                + ", near-dup " + (nearDup > 0 ? "≥ " + nearDup : "off") + ", PII scrub " + (piiScrub ? "on" : "off") + ") ...");
        long start = System.nanoTime();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        try {
            DatasetPrepJob.toFiles(files, settings, output).execute(env);
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
        out.printf(Locale.ROOT, "tokens (estimated) p50 %d, p90 %d, max %d; about %d training tokens per epoch%n",
                t.path("p50").asLong(), t.path("p90").asLong(), t.path("max").asLong(),
                m.path("estimated_training_tokens_per_epoch").asLong());
        for (String name : List.of("train.jsonl", "eval.jsonl", "rejects.jsonl", "manifest.json")) {
            out.println("  " + output.resolve(name));
        }
    }

    private static List<String> inputFiles(String input) throws IOException {
        List<String> files = new ArrayList<>();
        for (String part : input.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                try (Stream<Path> list = Files.list(path)) {
                    list.filter(Files::isRegularFile)
                            .filter(f -> f.getFileName().toString().endsWith(".json")
                                    || f.getFileName().toString().endsWith(".jsonl"))
                            .map(Path::toString).sorted().forEach(files::add);
                }
            } else if (Files.isReadable(path)) {
                files.add(path.toString());
            } else {
                throw new IllegalArgumentException("cannot read input " + p);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .json or .jsonl input files in " + input);
        }
        return files;
    }

    private static DatasetFormat format(String name) {
        DatasetFormat f = FORMATS.get(name);
        if (f == null) {
            throw new IllegalArgumentException(
                    "--format must be alpaca, sharegpt, openai, completion or preference, got '" + name + "'");
        }
        return f;
    }

    private static OverLengthPolicy overflow(String name) {
        return switch (name) {
            case "drop" -> OverLengthPolicy.DROP;
            case "truncate" -> OverLengthPolicy.TRUNCATE;
            default -> throw new IllegalArgumentException("--on-overflow must be drop or truncate, got '" + name + "'");
        };
    }

    private static int positiveInt(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("--max-tokens must be a positive whole number, got '" + v + "'");
    }

    /** A value in [0, 1); 0 means "none" (no eval split, near-dup off). */
    private double fraction(String name, double fallback, boolean zeroAllowed) {
        Optional<String> v = args.optional(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.get());
            if ((d > 0 || (zeroAllowed && d == 0)) && d < 1) {
                return d;
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
