package dev.aimnext.operators.finetune.run;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a fine-tuning run stands, as {@code run.json} records it. The driver moves a run only along
 * {@link #canMoveTo}, so a listing never shows, say, a COMPLETED run that later "failed".
 */
public enum RunState {
    /** The run folder and {@code run.json} exist; nothing has started. */
    CREATED,
    /** Preparing the dataset (or finding it already prepared). */
    PREPARING,
    /** A trainer attempt is running. */
    RUNNING,
    /** An attempt crashed or stalled; the next one resumes from the last complete checkpoint. */
    RETRYING,
    /** The trainer saved a checkpoint and exited 75; {@code aim finetune resume RUN_ID} continues. */
    PAUSED,
    /** The trainer finished and the profile was written. Final. */
    COMPLETED,
    /** Bad config, retries used up, or the driver gave up; {@code resume} may still continue it. */
    FAILED;

    /** Whether a run in this state may move to {@code next}. */
    public boolean canMoveTo(RunState next) {
        return successors().contains(next);
    }

    /** The states a run may move to from this one. */
    public Set<RunState> successors() {
        return switch (this) {
            case CREATED -> EnumSet.of(PREPARING, FAILED);
            // a pause that arrives while the dataset job runs takes effect once the dataset is ready
            case PREPARING -> EnumSet.of(RUNNING, PAUSED, FAILED);
            case RUNNING -> EnumSet.of(RETRYING, PAUSED, COMPLETED, FAILED);
            case RETRYING -> EnumSet.of(RUNNING, PAUSED, FAILED);
            // resume: the dataset is prepared and the trainer config rendered, so straight to RUNNING
            case PAUSED, FAILED -> EnumSet.of(RUNNING);
            case COMPLETED -> EnumSet.noneOf(RunState.class);
        };
    }

    /** A driver is (or should be) working on the run. */
    public boolean active() {
        return this == PREPARING || this == RUNNING || this == RETRYING;
    }

    /** {@code aim finetune resume} may continue a run in this state. */
    public boolean resumable() {
        return this == PAUSED || this == FAILED;
    }

    /**
     * Checks a move.
     *
     * @throws IllegalStateException naming both states when the move is not allowed
     */
    public RunState moveTo(RunState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("a run cannot go from " + this + " to " + next);
        }
        return next;
    }
}
