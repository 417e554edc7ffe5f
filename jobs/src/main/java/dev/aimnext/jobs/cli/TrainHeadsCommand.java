package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.local.LocalFiles;
import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.ExecutionProvider;
import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.train.ContentHash;
import dev.aimnext.operators.guardrails.train.EmbeddingCache;
import dev.aimnext.operators.guardrails.train.GuardrailTask;
import dev.aimnext.operators.guardrails.train.HeadFile;
import dev.aimnext.operators.guardrails.train.HeadTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code aim train-heads [--data DIR] [--pack REF] [--out DIR] [--seed 42] [--check]}: trains the
 * prompt-injection and toxicity heads of an encoder pack on the project's guardrail training data
 * and writes them as {@code heads/*.json}. With {@code --check} it writes nothing and fails when
 * the retrained heads differ from the files in {@code --out} by a single byte.
 */
final class TrainHeadsCommand {

    static final String DEFAULT_DATA = "datasets/guardrails/train";
    static final String DEFAULT_OUT = "operators/src/main/resources/aim-guardrails/packs/guard-minilm";

    private final CliArgs args;
    private final PrintStream out;

    TrainHeadsCommand(CliArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    int run() throws IOException {
        Path data = Path.of(args.value("data", DEFAULT_DATA));
        String packRef = args.value("pack", PackReferences.DEFAULT);
        Path outDir = Path.of(args.value("out", DEFAULT_OUT));
        long seed = args.intValue("seed", 42);
        double maxFpr = args.doubleValue("max-fpr", 0.05);
        Path cacheDir = Path.of(args.value("cache-dir",
                Path.of(System.getProperty("user.home"), ".cache", "aim", "embeddings").toString()));
        boolean check = args.flag("check");
        args.requireConsumed();
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("training data folder not found: " + data
                    + " (run from the project root, or pass --data)");
        }
        if (data.toAbsolutePath().normalize().toString().contains("/eval")) {
            throw new IllegalArgumentException("refusing to train on " + data + ": files under eval/ are for evaluation only");
        }

        ModelPack pack = ModelPack.load(PackReferences.resolve(packRef));
        String encoderKey = ContentHash.of(pack.modelFile()) + "-" + pack.pooling().name().toLowerCase(Locale.ROOT)
                + "-" + pack.maxLength();
        EngineSettings settings = new EngineSettings(ExecutionProvider.CPU, 0, 0, 0L, 32, Duration.ZERO, 0);
        if (check) {
            // A real reproduction: encode everything again instead of trusting cached vectors.
            cacheDir = Files.createTempDirectory("aim-train-heads-check");
        }
        int differing = 0;
        try {
            differing = train(pack, settings, cacheDir, encoderKey, data, outDir, seed, maxFpr, check);
        } finally {
            if (check) {
                LocalFiles.deleteRecursively(cacheDir); // about 90 MB of vectors, needed only for this run
            }
        }
        return differing == 0 ? 0 : 1;
    }

    /** Trains both heads; returns how many differ from the files in {@code outDir} (with --check). */
    private int train(ModelPack pack, EngineSettings settings, Path cacheDir, String encoderKey, Path data, Path outDir,
                      long seed, double maxFpr, boolean check) throws IOException {
        int differing = 0;
        try (InferenceEngine engine = InferenceEngine.open(pack, settings)) {
            EmbeddingCache cache = new EmbeddingCache(cacheDir, encoderKey, engine::embed, out);
            HeadTrainer trainer = new HeadTrainer(cache, out);
            for (GuardrailTask task : GuardrailTask.values()) {
                out.printf("aim train-heads: %s from %s (seed %d)%n", task.headName(), data, seed);
                HeadTrainer.Settings defaults = HeadTrainer.Settings.defaults(seed);
                HeadTrainer.Settings s = new HeadTrainer.Settings(seed, defaults.validationFraction(),
                        defaults.maxRowsPerFile(), maxFpr, defaults.optimiser(), defaults.lexical());
                HeadTrainer.Result result = trainer.train(data, task, s);
                out.printf(Locale.ROOT, "  validation (%d rows): threshold %.4f, precision %.3f, recall %.3f, F1 %.3f, "
                                + "false-positive rate %.3f, AUC %.3f%n", result.validationRows(),
                        result.validation().threshold(), result.validation().precision(), result.validation().recall(),
                        result.validation().f1(), result.validation().falsePositiveRate(), result.validationAuc());
                String content = HeadFile.render(result, encoderKey, seed);
                Path file = outDir.resolve("heads").resolve(task.headName() + ".json");
                if (check) {
                    boolean same = Files.isReadable(file)
                            && Files.readString(file, StandardCharsets.UTF_8).equals(content);
                    out.printf("  %s: %s%n", file, same ? "identical" : "DIFFERS");
                    differing += same ? 0 : 1;
                } else {
                    HeadFile.write(file, content);
                    out.printf("  wrote %s%n", file);
                }
            }
        }
        return differing;
    }
}
