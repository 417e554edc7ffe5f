package dev.aimnext.jobs.finetune.driver;

import dev.aimnext.operators.finetune.run.RunRecord;
import dev.aimnext.operators.finetune.run.TrainerEvent;

/**
 * Folds events into {@code run.json}'s progress. The best checkpoint is the one saved at the step of
 * the lowest eval loss; the trainer evaluates and checkpoints on the same cadence, so an EVAL and a
 * CHECKPOINT of one step belong together.
 */
final class RunProgress {

    private final RunRecord.Progress progress;
    private long evalStep = -1;

    RunProgress(RunRecord.Progress progress) {
        this.progress = progress;
    }

    void onEvent(TrainerEvent e) {
        progress.step = e.step();
        progress.epoch = e.epoch();
        progress.lastEventAtMs = e.emittedAtMs();
        switch (e.kind()) {
            case STARTED -> {
                if (e.totalSteps() != null) {
                    progress.totalSteps = e.totalSteps();
                }
            }
            case STEP -> progress.loss = e.loss();
            case EVAL -> {
                progress.evalLoss = e.evalLoss();
                evalStep = e.step();
            }
            case CHECKPOINT -> {
                progress.lastCheckpoint = e.checkpointPath();
                if (evalStep == e.step() && progress.evalLoss != null
                        && (progress.bestEvalLoss == null || progress.evalLoss < progress.bestEvalLoss)) {
                    progress.bestEvalLoss = progress.evalLoss;
                    progress.bestCheckpoint = e.checkpointPath();
                }
            }
            default -> { }
        }
    }
}
