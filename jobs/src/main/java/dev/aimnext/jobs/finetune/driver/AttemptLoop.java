package dev.aimnext.jobs.finetune.driver;

import dev.aimnext.jobs.finetune.follow.ProgressLine;
import dev.aimnext.jobs.finetune.follow.TrainingEventPublisher;
import dev.aimnext.jobs.finetune.follow.TrainingMetrics;
import dev.aimnext.jobs.finetune.launch.TrainerBackend;
import dev.aimnext.jobs.finetune.launch.TrainerHandle;
import dev.aimnext.jobs.finetune.launch.TrainerLaunch;
import dev.aimnext.jobs.finetune.store.RunStore;
import dev.aimnext.operators.finetune.run.AttemptEnd;
import dev.aimnext.operators.finetune.run.AttemptRecord;
import dev.aimnext.operators.finetune.run.Checkpoint;
import dev.aimnext.operators.finetune.run.CheckpointScanner;
import dev.aimnext.operators.finetune.run.RetryPolicy;
import dev.aimnext.operators.finetune.run.RunRecord;
import dev.aimnext.operators.finetune.run.RunState;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drives a run's trainer attempts until the run is COMPLETED, PAUSED or FAILED. Before each attempt
 * it picks the resume point (the newest checkpoint whose manifest and hashes check out) and rewrites
 * {@code resume_from}; after each it records the attempt and lets {@link RetryPolicy} decide:
 * complete (copy the result, write the profile), pause, fail, or retry.
 */
public final class AttemptLoop {

    /**
     * How each attempt is launched.
     *
     * @param command the trainer command; the backend appends {@code --config FILE}
     */
    public record LaunchSettings(List<String> command, Map<String, String> environment, String image, int gpus,
            String gpuResource) {

        public LaunchSettings {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
        }
    }

    private final RunStore store;
    private final RunRecord run;
    private final TrainerBackend backend;
    private final LaunchSettings launch;
    private final RetryPolicy policy;
    private final Duration stallTimeout;
    private final TrainingMetrics metrics;
    private final Optional<TrainingEventPublisher> publisher;
    private final ProgressLine terminal;
    private final PauseSignal pause;
    private final RunCompletion completion;
    private final Clock clock;

    public AttemptLoop(RunStore store, RunRecord run, TrainerBackend backend, LaunchSettings launch, RetryPolicy policy,
            Duration stallTimeout, TrainingMetrics metrics, Optional<TrainingEventPublisher> publisher,
            ProgressLine terminal, PauseSignal pause, RunCompletion completion, Clock clock) {
        this.store = store;
        this.run = run;
        this.backend = backend;
        this.launch = launch;
        this.policy = policy;
        this.stallTimeout = stallTimeout;
        this.metrics = metrics;
        this.publisher = publisher;
        this.terminal = terminal;
        this.pause = pause;
        this.completion = completion;
        this.clock = clock;
    }

    /** Runs attempts until the run reaches COMPLETED, PAUSED or FAILED, and returns that state. */
    public RunState drive() throws IOException, InterruptedException {
        Path runDir = store.runDir(run.runId());
        int retriesUsed = 0;
        try (BufferedWriter trainerLog = Files.newBufferedWriter(runDir.resolve("trainer.log"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            while (true) {
                if (pause.requested()) {
                    if (!run.state().canMoveTo(RunState.PAUSED)) {
                        return run.state(); // a resume interrupted before it launched anything: nothing changed
                    }
                    return finish(RunState.PAUSED, "paused before attempt " + run.nextAttempt() + "; "
                            + resumeHint());
                }
                Optional<Checkpoint> resume = CheckpointScanner.resumePoint(runDir);
                TrainerConfigFile.setResumeFrom(runDir, resume.map(Checkpoint::dir));
                int attempt = run.nextAttempt();
                String from = resume.map(c -> "from " + c.dir().getFileName()).orElse("from the start");
                run.attempts().add(AttemptRecord.started(attempt, clock.millis(),
                        resume.map(c -> c.dir().toString()).orElse(null)));
                move(RunState.RUNNING, "attempt " + attempt + " " + from);
                metrics.onAttempt(attempt, retriesUsed);
                terminal.note("attempt " + attempt + " (" + backend.name() + ") " + from);

                AttemptEnd end;
                try (TrainerHandle handle = backend.launch(new TrainerLaunch(run.runId(), attempt, runDir,
                        TrainerConfigFile.of(runDir), launch.command(), launch.environment(), launch.image(),
                        launch.gpus(), launch.gpuResource()))) {
                    AttemptFollower follower = new AttemptFollower(run, metrics, publisher, terminal, trainerLog,
                            pause, stallTimeout, () -> save());
                    end = follower.follow(handle);
                } catch (IOException e) {
                    run.updateLastAttempt(run.attempts().get(run.attempts().size() - 1)
                            .ended(clock.millis(), AttemptEnd.exited(-1, false, false), run.progress().step));
                    return finish(RunState.FAILED, "attempt " + attempt + " could not start: " + e.getMessage());
                }
                trainerLog.flush();
                run.updateLastAttempt(run.attempts().get(run.attempts().size() - 1)
                        .ended(clock.millis(), end, run.progress().step));
                String what = "attempt " + attempt + " " + end.describe() + " at step " + run.progress().step;
                switch (policy.decide(end, retriesUsed)) {
                    case COMPLETE -> {
                        String summary;
                        try {
                            summary = completion.complete(run);
                        } catch (IOException | RuntimeException e) {
                            return finish(RunState.FAILED, "the trainer completed but " + e.getMessage()
                                    + "; the result is in " + run.finalCheckpoint());
                        }
                        return finish(RunState.COMPLETED, summary);
                    }
                    case PAUSE -> {
                        return finish(RunState.PAUSED, what + "; " + resumeHint());
                    }
                    case FAIL -> {
                        return finish(RunState.FAILED, what + (end.exitCode() == AttemptEnd.EXIT_BAD_CONFIG
                                ? " (not retried: see " + runDir.resolve("trainer.log") + ")"
                                : "; no retries left (" + policy.maxRetries() + "); " + resumeHint()));
                    }
                    case RETRY -> {
                        retriesUsed++;
                        move(RunState.RETRYING, what + "; retry " + retriesUsed + " of " + policy.maxRetries());
                        terminal.note(run.message());
                    }
                    default -> throw new IllegalStateException("unknown decision");
                }
            }
        }
    }

    private String resumeHint() {
        return "aim finetune resume " + run.runId() + " continues it";
    }

    private RunState finish(RunState state, String message) throws IOException {
        move(state, message);
        terminal.note(state + ": " + message);
        return state;
    }

    private void move(RunState next, String message) throws IOException {
        run.moveTo(next, message, clock.millis());
        metrics.onState(next);
        save();
    }

    private void save() throws IOException {
        run.touch(clock.millis());
        store.save(run);
    }
}
