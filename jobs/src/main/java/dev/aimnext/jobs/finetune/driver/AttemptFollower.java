package dev.aimnext.jobs.finetune.driver;

import dev.aimnext.jobs.finetune.follow.ProgressLine;
import dev.aimnext.jobs.finetune.follow.TrainingEventPublisher;
import dev.aimnext.jobs.finetune.follow.TrainingMetrics;
import dev.aimnext.jobs.finetune.launch.TrainerHandle;
import dev.aimnext.operators.finetune.run.AttemptEnd;
import dev.aimnext.operators.finetune.run.EventLineParser;
import dev.aimnext.operators.finetune.run.MalformedEventException;
import dev.aimnext.operators.finetune.run.RunRecord;
import dev.aimnext.operators.finetune.run.TrainerEvent;
import dev.aimnext.schemas.event.TrainingEventKind;

import java.io.BufferedWriter;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Follows one attempt to its end: every output line goes to {@code trainer.log}; event lines update
 * the run's progress, the metrics, the progress line and Kafka; other lines pass through to the
 * terminal. A pause request is passed on to the trainer once; no line at all for the stall timeout
 * gets the attempt killed.
 */
final class AttemptFollower {

    /** How often the loop looks at the pause signal while the trainer is quiet. */
    private static final Duration POLL = Duration.ofMillis(200);

    /** How long a trainer may take to exit after its output has closed. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(30);

    /** Saving run.json on every STEP would rewrite it many times a second on a fast run. */
    private static final long STEP_SAVE_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final RunRecord run;
    private final RunProgress progress;
    private final TrainingMetrics metrics;
    private final Optional<TrainingEventPublisher> publisher;
    private final ProgressLine terminal;
    private final BufferedWriter trainerLog;
    private final PauseSignal pause;
    private final Duration stallTimeout;
    private final Saver saver;
    private boolean completedEvent;
    private long lastStepSaveNanos;

    /** Writes run.json; the follower calls it after events worth keeping. */
    interface Saver {
        void save() throws IOException;
    }

    AttemptFollower(RunRecord run, TrainingMetrics metrics, Optional<TrainingEventPublisher> publisher,
            ProgressLine terminal, BufferedWriter trainerLog, PauseSignal pause, Duration stallTimeout, Saver saver) {
        this.run = run;
        this.progress = new RunProgress(run.progress());
        this.metrics = metrics;
        this.publisher = publisher;
        this.terminal = terminal;
        this.trainerLog = trainerLog;
        this.pause = pause;
        this.stallTimeout = stallTimeout;
        this.saver = saver;
    }

    AttemptEnd follow(TrainerHandle handle) throws IOException, InterruptedException {
        boolean pauseSent = false;
        long lastLine = System.nanoTime();
        while (true) {
            if (pause.requested() && !pauseSent) {
                terminal.note("pausing: asking the trainer to save a checkpoint and exit");
                handle.requestPause();
                pauseSent = true;
            }
            long quietNanos = System.nanoTime() - lastLine;
            long leftNanos = stallTimeout.toNanos() - quietNanos;
            if (leftNanos <= 0) {
                terminal.note("no output from the trainer for " + stallTimeout.toSeconds() + " s; killing the attempt");
                handle.kill();
                handle.waitFor(EXIT_GRACE);
                return AttemptEnd.stall();
            }
            TrainerHandle.Line line = handle.nextLine(Duration.ofNanos(Math.min(leftNanos, POLL.toNanos())));
            if (line.ended()) {
                break;
            }
            if (line.timedOut()) {
                continue;
            }
            lastLine = System.nanoTime();
            onLine(line.text());
        }
        OptionalInt exit = handle.waitFor(EXIT_GRACE);
        if (exit.isEmpty()) {
            terminal.note("the trainer closed its output but did not exit; killing it");
            handle.kill();
            exit = handle.waitFor(EXIT_GRACE);
        }
        return AttemptEnd.exited(exit.orElse(-1), pauseSent, completedEvent);
    }

    private void onLine(String text) throws IOException {
        trainerLog.write(text);
        trainerLog.newLine();
        Optional<TrainerEvent> parsed;
        try {
            parsed = EventLineParser.parse(text);
        } catch (MalformedEventException e) {
            terminal.note("ignoring a malformed event line (" + e.getMessage() + "): " + abbreviate(text));
            return;
        }
        if (parsed.isEmpty()) {
            terminal.log(text);
            return;
        }
        TrainerEvent event = parsed.get();
        if (!event.runId().equals(run.runId())) {
            terminal.note("ignoring an event of run '" + event.runId() + "' (this is " + run.runId() + ")");
            return;
        }
        progress.onEvent(event);
        metrics.onEvent(event);
        publisher.ifPresent(p -> p.publish(event));
        terminal.onEvent(event);
        if (event.kind() == TrainingEventKind.COMPLETED) {
            completedEvent = true;
            run.finalCheckpoint(event.checkpointPath());
        }
        long now = System.nanoTime();
        if (event.kind() != TrainingEventKind.STEP || now - lastStepSaveNanos > STEP_SAVE_INTERVAL_NANOS) {
            lastStepSaveNanos = now;
            trainerLog.flush();
            saver.save();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
