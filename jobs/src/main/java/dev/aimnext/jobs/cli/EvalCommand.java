package dev.aimnext.jobs.cli;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.ExecutionProvider;
import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.TextScores;
import dev.aimnext.operators.guardrails.eval.EvalResult;
import dev.aimnext.operators.guardrails.train.GuardrailTask;
import dev.aimnext.operators.guardrails.train.LabeledText;
import dev.aimnext.operators.guardrails.train.TrainingFiles;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code aim eval --pack REF --data FILE.jsonl[,FILE...|DIR] [--guardrail NAME] [--sweep]}: scores
 * labelled {@code {"text","label","source"}} files with a pack and prints precision, recall, F1,
 * false-positive rate and AUC at the pack's thresholds, and a threshold sweep per file.
 *
 * <p>Which heads are measured on a file follows from its labels: injection/benign files measure
 * {@code prompt_injection}, toxic/ok files {@code toxicity}. XSTest's safe/unsafe prompts are
 * neither injections nor (all) toxic, so every head is measured on them with all rows negative:
 * only the false-positive rate means something there.
 */
final class EvalCommand {

    private static final Set<String> NEUTRAL_LABELS = Set.of("safe", "unsafe");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final CliArgs args;
    private final PrintStream out;

    EvalCommand(CliArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    int run() throws IOException {
        String packRef = args.value("pack", PackReferences.DEFAULT);
        String data = args.optional("data").orElseThrow(
                () -> new IllegalArgumentException("eval needs --data FILE.jsonl (comma-separated files or a folder)"));
        String only = args.optional("guardrail").orElse(null);
        boolean sweep = args.flag("sweep");
        args.requireConsumed();
        List<Path> files = files(data);
        ModelPack pack = ModelPack.load(PackReferences.resolve(packRef));
        List<EvalResult> results = new ArrayList<>();
        EngineSettings settings = new EngineSettings(ExecutionProvider.CPU, 0, 0, 0L, 32, Duration.ZERO, 0);
        try (InferenceEngine engine = InferenceEngine.open(pack, settings)) {
            for (Path file : files) {
                List<String> labels = labelsOf(file);
                for (String guardrail : guardrailsFor(labels, pack, only)) {
                    GuardrailTask task = GuardrailTask.parse(guardrail);
                    Set<String> negatives = new LinkedHashSet<>(NEUTRAL_LABELS);
                    negatives.add(task.negativeLabel());
                    List<LabeledText> rows = TrainingFiles.read(file, task.positiveLabel(), negatives);
                    double[] scores = score(engine, rows, guardrail, file);
                    boolean[] positive = new boolean[rows.size()];
                    for (int i = 0; i < positive.length; i++) {
                        positive[i] = rows.get(i).positive();
                    }
                    results.add(EvalResult.of(guardrail, file.getFileName().toString(), scores, positive,
                            pack.thresholds().getOrDefault(guardrail, 0.5)));
                }
            }
        }
        out.println();
        out.println("pack " + pack.version() + " (" + pack.dir() + ")");
        out.println(EvalResult.summaryHeader());
        results.forEach(r -> out.println(r.summaryRow()));
        if (sweep) {
            for (EvalResult r : results) {
                out.printf("%nsweep: %s on %s%n", r.guardrail(), r.data());
                out.print(r.sweepTable());
            }
        }
        return 0;
    }

    private double[] score(InferenceEngine engine, List<LabeledText> rows, String guardrail, Path file) {
        double[] scores = new double[rows.size()];
        long started = System.nanoTime();
        for (int from = 0; from < rows.size(); from += 256) {
            int to = Math.min(rows.size(), from + 256);
            List<String> texts = rows.subList(from, to).stream().map(LabeledText::text).toList();
            List<TextScores> s = engine.score(texts);
            for (int i = 0; i < s.size(); i++) {
                scores[from + i] = s.get(i).score(guardrail);
            }
            if (to == rows.size() || (to / 256) % 8 == 0) {
                out.printf("  %s / %s: %d/%d texts, %.0f texts/s%n", file.getFileName(), guardrail, to, rows.size(),
                        to / ((System.nanoTime() - started) / 1e9));
            }
        }
        return scores;
    }

    /** The guardrails this file measures, from its labels. */
    private static List<String> guardrailsFor(List<String> labels, ModelPack pack, String only) {
        List<String> available = new ArrayList<>(pack.thresholds().keySet());
        List<String> out = new ArrayList<>();
        for (String key : available) {
            GuardrailTask task;
            try {
                task = GuardrailTask.parse(key);
            } catch (IllegalArgumentException e) {
                continue; // a head that is not a binary guardrail task, e.g. a multi-label one
            }
            boolean neutral = NEUTRAL_LABELS.containsAll(labels);
            boolean matches = labels.contains(task.positiveLabel()) || labels.contains(task.negativeLabel());
            if ((neutral || matches) && (only == null || only.equals(key))) {
                out.add(key);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("pack " + pack.version() + " has no head for labels " + labels
                    + (only == null ? "" : " and guardrail " + only) + "; heads: " + available);
        }
        return out;
    }

    private static List<String> labelsOf(Path file) {
        Set<String> labels = new LinkedHashSet<>();
        try (Stream<String> lines = Files.lines(file)) {
            lines.filter(l -> !l.isBlank()).forEach(l -> {
                try {
                    labels.add(MAPPER.readTree(l).path("label").asText());
                } catch (IOException e) {
                    // Reported with its line number when the file is read for scoring.
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return List.copyOf(labels);
    }

    private static List<Path> files(String data) {
        List<Path> out = new ArrayList<>();
        for (String part : data.split(",")) {
            Path p = Path.of(part.trim());
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".jsonl")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + p, e);
                }
            } else if (Files.isReadable(p)) {
                out.add(p);
            } else {
                throw new IllegalArgumentException("cannot read data file " + p);
            }
        }
        return out;
    }
}
