package dev.aimnext.jobs.cli;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.ExecutionProvider;
import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.eval.ner.NerEvaluation;
import dev.aimnext.operators.guardrails.train.ner.NerCorpus;
import dev.aimnext.operators.guardrails.train.ner.NerExample;
import dev.aimnext.operators.guardrails.train.HeadFile;
import dev.aimnext.operators.guardrails.train.ner.NerHeadFile;
import dev.aimnext.operators.guardrails.train.ner.NerHeadTrainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code aim train-ner [--data FILE.jsonl] [--negatives FILE,...|none] [--pack REF] [--out DIR] [--seed 42]
 * [--epochs 60] [--validation F] [--check]}: trains the token head of the NER pack ({@code heads/ner.json})
 * on a span-annotated PII file plus entity-free texts (negatives: banking support queries,
 * home-assistant commands and prompt templates from the guardrail training data, which keep the
 * head from tagging ordinary words in ordinary prompts; the synthetic PII file alone has an entity
 * in almost every sentence).
 * With {@code --validation F} it holds out a share F of the texts, prints their per-type scores
 * and writes nothing (for choosing settings without touching evaluation data). With {@code --check}
 * it writes nothing and fails when the retrained head differs from the file in {@code --out} by a
 * single byte.
 */
final class TrainNerCommand {

    /** Presidio's synthetic set (MIT); the other file in that folder, generated_large, is evaluation only. */
    static final String DEFAULT_DATA = "operators/src/test/resources/datasets/pii/presidio_synth_dataset_v2.jsonl";
    static final String DEFAULT_NEGATIVES = String.join(",",
            "datasets/guardrails/train/injection_benign_banking77.jsonl",
            "datasets/guardrails/train/injection_benign_hwu64.jsonl",
            "datasets/guardrails/train/injection_benign_awesome_chatgpt_prompts.jsonl");
    static final String DEFAULT_PACK = "builtin:ner-minilm";
    static final String DEFAULT_OUT = "operators/src/main/resources/aim-guardrails/packs/ner-minilm";
    static final String HEAD_FILE = "heads/ner.json";

    private final CliArgs args;
    private final PrintStream out;

    TrainNerCommand(CliArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    int run() throws IOException {
        Path data = Path.of(args.value("data", DEFAULT_DATA));
        String packRef = args.value("pack", DEFAULT_PACK);
        Path outDir = Path.of(args.value("out", DEFAULT_OUT));
        long seed = args.intValue("seed", 42);
        String negatives = args.value("negatives", DEFAULT_NEGATIVES);
        int epochs = args.intValue("epochs", NerHeadTrainer.Settings.defaults(seed).optimiser().epochs());
        double validation = args.optional("validation").isPresent() ? args.doubleValue("validation", 0.2) : 0;
        boolean check = args.flag("check");
        args.requireConsumed();
        if (validation >= 1) {
            throw new IllegalArgumentException("--validation must be below 1, got " + validation);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        List<Path> negativeFiles = new ArrayList<>();
        if (!negatives.equals("none")) {
            for (String f : negatives.split(",")) {
                negativeFiles.add(Path.of(f.trim()));
            }
        }
        List<String> names = new ArrayList<>();
        for (Path file : concat(data, negativeFiles)) {
            requireTrainingFile(file);
            names.add(file.getFileName().toString());
        }

        List<NerExample> examples = new ArrayList<>(NerCorpus.read(data));
        int annotated = examples.size();
        for (Path file : negativeFiles) {
            examples.addAll(NerCorpus.readNegatives(file));
        }
        ModelPack pack = ModelPack.load(PackReferences.resolve(packRef));
        EngineSettings settings = new EngineSettings(ExecutionProvider.CPU, 0, 0, 0L, 32, Duration.ZERO, 0);
        NerHeadTrainer.Settings s = NerHeadTrainer.Settings.defaults(seed).withValidationFraction(validation)
                .withEpochs(epochs);
        out.printf("aim train-ner: %d annotated texts from %s, %d entity-free texts from %d files (seed %d)%n",
                annotated, data, examples.size() - annotated, negativeFiles.size(), seed);
        NerHeadTrainer.Result result;
        try (InferenceEngine engine = InferenceEngine.open(pack, settings)) {
            result = new NerHeadTrainer(engine::tokenStates, out).train(examples, s);
        }
        if (validation > 0) {
            out.printf(Locale.ROOT, "validation: %d held-out texts (%.0f%%); nothing written%n",
                    result.validationExamples().size(), validation * 100);
            out.print(NerEvaluation.table(NerEvaluation.score(result.validationExamples(), result.validationPredictions())));
            int[] spurious = NerEvaluation.spuriousTexts(result.validationExamples(), result.validationPredictions());
            out.printf("held-out texts without entities: %d, of them with a predicted entity: %d%n", spurious[0], spurious[1]);
            return 0;
        }
        String content = NerHeadFile.render(result, names, seed);
        Path file = outDir.resolve(HEAD_FILE);
        if (check) {
            boolean same = Files.isReadable(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content);
            out.printf("  %s: %s%n", file, same ? "identical" : "DIFFERS");
            return same ? 0 : 1;
        }
        HeadFile.write(file, content);
        out.printf("  wrote %s%n", file);
        return 0;
    }

    private static List<Path> concat(Path first, List<Path> rest) {
        List<Path> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static void requireTrainingFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("NER training file not found: " + file
                    + " (run from the project root, or pass --data / --negatives)");
        }
        String normalized = file.toAbsolutePath().normalize().toString();
        if (normalized.contains("/eval/") || normalized.contains("generated_large")) {
            throw new IllegalArgumentException("refusing to train on " + file + ": it is evaluation data");
        }
    }
}
