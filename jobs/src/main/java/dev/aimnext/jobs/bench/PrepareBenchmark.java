package dev.aimnext.jobs.bench;

import dev.aimnext.jobs.dataset.DatasetPrepJob;
import dev.aimnext.jobs.local.LocalFiles;
import dev.aimnext.operators.dataset.stage.PrepSettings;
import dev.aimnext.operators.dataset.stage.TokenizationSettings;
import dev.aimnext.operators.dataset.template.BuiltInTemplate;
import dev.aimnext.operators.dataset.tokenize.LossMask;
import dev.aimnext.operators.dataset.validate.OverLengthPolicy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end throughput of the dataset preparation job on generated chat data
 * ({@link SyntheticConversations}), in tokens per second per core, with the optional stages
 * switched on one at a time so their cost shows side by side. Every mode runs the same files on a
 * fresh local environment after one unreported warm-up run (JIT, class loading).
 */
public final class PrepareBenchmark {

    private static final int FILES = 4;

    private final int conversations;
    private final int parallelism;
    private final String tokenizer;
    private final PrintStream out;

    /**
     * @param tokenizer a tokenizer.json for the extra templated modes, or {@code null} to skip them
     */
    public PrepareBenchmark(int conversations, int parallelism, String tokenizer, PrintStream out) {
        this.conversations = conversations;
        this.parallelism = parallelism;
        this.tokenizer = tokenizer;
        this.out = out;
    }

    record Mode(String name, PrepSettings settings) {}

    record Result(Mode mode, long rowsIn, long kept, long tokens, double seconds) {}

    public void run() throws Exception {
        Path dir = Files.createTempDirectory("aim-bench-prepare");
        try {
            List<String> inputs = new ArrayList<>();
            SyntheticConversations generator = new SyntheticConversations(42);
            for (int f = 0; f < FILES; f++) {
                Path file = dir.resolve("conversations-" + f + ".jsonl");
                generator.write(file, conversations / FILES + (f < conversations % FILES ? 1 : 0));
                inputs.add(file.toString());
            }
            long bytes = 0;
            for (String f : inputs) {
                bytes += Files.size(Path.of(f));
            }
            int cores = Math.min(parallelism, Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "%,d conversations in %d files (%.1f MB), parallelism %d, %d core(s)%n",
                    conversations, FILES, bytes / 1e6, parallelism, cores);
            List<Mode> modes = modes();
            runMode(modes.get(modes.size() - 1), inputs, dir.resolve("warmup"));
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < modes.size(); i++) {
                results.add(runMode(modes.get(i), inputs, dir.resolve("mode-" + i)));
            }
            printTable(results, cores);
        } finally {
            LocalFiles.deleteRecursively(dir);
        }
    }

    private List<Mode> modes() {
        List<Mode> modes = new ArrayList<>(List.of(
                new Mode("read+validate+exact dedup+split", settings(false, 0, TokenizationSettings.none())),
                new Mode("+ PII scrub", settings(true, 0, TokenizationSettings.none())),
                new Mode("+ near-dup (0.8)", settings(false, 0.8, TokenizationSettings.none())),
                new Mode("full: PII + near-dup", settings(true, 0.8, TokenizationSettings.none()))));
        if (tokenizer != null) {
            modes.add(new Mode("full + chatml + tokenizer.json", settings(true, 0.8,
                    new TokenizationSettings(BuiltInTemplate.CHATML.template(), tokenizer, LossMask.ASSISTANT, 0, false))));
            modes.add(new Mode("full + chatml + tokenizer + pack 4096", settings(true, 0.8,
                    new TokenizationSettings(BuiltInTemplate.CHATML.template(), tokenizer, LossMask.ASSISTANT, 4096, true))));
        }
        return modes;
    }

    private static PrepSettings settings(boolean pii, double nearDup, TokenizationSettings tokenization) {
        return new PrepSettings(null, 0, OverLengthPolicy.DROP, pii, nearDup, 0.05, tokenization);
    }

    private Result runMode(Mode mode, List<String> inputs, Path output) throws Exception {
        Files.createDirectories(output);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism);
        long start = System.nanoTime();
        DatasetPrepJob.toFiles(inputs, mode.settings(), output).execute(env);
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode m = new ObjectMapper().readTree(output.resolve("manifest.json").toFile());
        Result r = new Result(mode, m.path("rows_in").asLong(), m.path("kept").asLong(),
                m.path("tokens").path("total").asLong(), seconds);
        out.printf(Locale.ROOT, "  %-40s %.1f s%n", mode.name(), seconds);
        return r;
    }

    private void printTable(List<Result> results, int cores) {
        out.println();
        out.println("| mode | rows in | kept | tokens kept | seconds | tokens/s | tokens/s/core |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            double perSecond = r.tokens() / r.seconds();
            out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %.1f | %,.0f | %,.0f |%n", r.mode().name(), r.rowsIn(),
                    r.kept(), r.tokens(), r.seconds(), perSecond, perSecond / cores);
        }
        out.println("tokens: the manifest's token total of the kept rows (its counter: estimate or tokenizer.json);"
                + " seconds: wall time of the Flink job, start-up included.");
    }
}
