package dev.aimnext.jobs.cli;

import dev.aimnext.jobs.finetune.store.RunStore;
import dev.aimnext.operators.finetune.run.Checkpoint;
import dev.aimnext.operators.finetune.run.CheckpointScanner;
import dev.aimnext.operators.finetune.run.RunRecord;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code aim runs [--runs-dir runs]}: every fine-tuning run with its state, progress, attempts and
 * last message, and under it its checkpoints, complete or not and why. Checkpoints are checked for
 * presence only (hashing full weights for a listing would be slow); resuming verifies the hashes.
 */
final class RunsCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final CliArgs args;
    private final PrintStream out;

    RunsCommand(CliArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    int run() throws IOException {
        RunStore store = new RunStore(Path.of(args.value("runs-dir", "runs")));
        args.requireConsumed();
        List<String> problems = new ArrayList<>();
        List<RunRecord> runs = store.list(problems);
        problems.forEach(p -> out.println("aim runs: skipped " + p));
        if (runs.isEmpty()) {
            out.println("no runs under " + store.root());
            return 0;
        }
        out.printf(Locale.ROOT, "%-36s %-10s %-11s %-8s %-8s %-8s %-20s %s%n", "RUN", "STATE", "STEP", "LOSS",
                "EVAL", "ATTEMPTS", "UPDATED", "MESSAGE");
        for (RunRecord run : runs) {
            RunRecord.Progress p = run.progress();
            out.printf(Locale.ROOT, "%-36s %-10s %-11s %-8s %-8s %-8d %-20s %s%n", run.runId(), run.state(),
                    p.step + (p.totalSteps != null ? "/" + p.totalSteps : ""), number(p.loss), number(p.evalLoss),
                    run.attempts().size(), TIME.format(Instant.ofEpochMilli(run.updatedAtMs())),
                    run.message() == null ? "" : run.message());
            for (Checkpoint c : CheckpointScanner.scan(store.runDir(run.runId()), CheckpointScanner.Verification.PRESENCE)) {
                boolean best = c.dir().toString().equals(p.bestCheckpoint);
                out.printf(Locale.ROOT, "    %-24s %s%n", c.dir().getFileName(),
                        c.complete() ? "complete" + (best ? String.format(Locale.ROOT, " (best eval loss %.4f)",
                                p.bestEvalLoss) : "") : "incomplete: " + c.problem());
            }
            if (run.profilePath() != null) {
                out.println("    profile " + run.profilePath());
            }
        }
        return 0;
    }

    private static String number(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
