package dev.aimnext.jobs.cli;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.ExecutionProvider;
import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.ModelPack;
import dev.aimnext.operators.guardrails.engine.token.EntitySpan;
import dev.aimnext.operators.guardrails.eval.ner.NerEvaluation;
import dev.aimnext.operators.guardrails.train.ner.NerCorpus;
import dev.aimnext.operators.guardrails.train.ner.NerExample;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code aim eval-ner [--data FILE.jsonl] [--pack REF]}: runs a token-classification pack over a
 * span-annotated PII file and prints per-type precision, recall and F1 with exact and overlap
 * matching ({@link NerEvaluation}), and how many entity-free texts got an entity. A file of plain
 * {@code {"text"}} rows (no {@code spans}) is read as entity-free, which measures false findings
 * on ordinary prompts.
 */
final class EvalNerCommand {

    static final String DEFAULT_DATA = "operators/src/test/resources/datasets/pii/presidio_generated_large.jsonl";

    private final CliArgs args;
    private final PrintStream out;

    EvalNerCommand(CliArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    int run() {
        String packRef = args.value("pack", TrainNerCommand.DEFAULT_PACK);
        Path data = Path.of(args.value("data", DEFAULT_DATA));
        args.requireConsumed();
        if (!Files.isRegularFile(data)) {
            throw new IllegalArgumentException("NER evaluation file not found: " + data
                    + " (run from the project root, or pass --data FILE.jsonl)");
        }
        List<NerExample> examples = NerCorpus.readEitherFormat(data);
        ModelPack pack = ModelPack.load(PackReferences.resolve(packRef));
        EngineSettings settings = new EngineSettings(ExecutionProvider.CPU, 0, 0, 0L, 32, Duration.ZERO, 0);
        List<List<EntitySpan>> predicted;
        try (InferenceEngine engine = InferenceEngine.open(pack, settings)) {
            predicted = NerEvaluation.predict(engine, examples, 256);
        }
        out.println("pack " + pack.version() + " on " + data.getFileName() + " (" + examples.size() + " texts)");
        if (examples.stream().anyMatch(e -> !e.spans().isEmpty())) {
            out.print(NerEvaluation.table(NerEvaluation.score(examples, predicted)));
        }
        int[] spurious = NerEvaluation.spuriousTexts(examples, predicted);
        out.printf("texts without entities: %d, of them with a predicted entity: %d%n", spurious[0], spurious[1]);
        return 0;
    }
}
