package dev.aimnext.operators.finetune.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code run.json} holds about one run: its state, how it was started (spec, backend, trainer
 * command, limits), the chosen sizing, its attempts and its progress. The driver owns the file and is
 * the only writer; {@link RunRecordJson} reads and writes it. State changes go through {@link
 * #moveTo}, which enforces {@link RunState#canMoveTo}.
 */
public final class RunRecord {

    private final String runId;
    private final long createdAtMs;
    private RunState state = RunState.CREATED;
    private long updatedAtMs;
    private String message;
    private Launch launch;
    private ObjectNode dataset = JsonNodeFactory.instance.objectNode();
    private ObjectNode plan = JsonNodeFactory.instance.objectNode();
    private final List<AttemptRecord> attempts = new ArrayList<>();
    private final Progress progress = new Progress();
    private String finalCheckpoint;
    private String outputPath;
    private String profilePath;
    private long driverPid;

    /**
     * How the run is driven, fixed when it is created so that a resume drives it the same way.
     *
     * @param specFile the FineTuningJob spec it came from (absolute)
     * @param spec the spec's YAML text as it was when the run was created; a resume re-reads this, not
     *     the file, so editing the file cannot change a run half-way
     * @param stallTimeoutMs kill an attempt after this long without a line
     */
    public record Launch(String specFile, String spec, String backend, List<String> trainerCommand, int retries,
            long stallTimeoutMs) {

        public Launch {
            Objects.requireNonNull(backend, "backend");
            trainerCommand = List.copyOf(trainerCommand);
        }
    }

    /** Progress from the events; null fields are not known yet. */
    public static final class Progress {
        public long step;
        public Long totalSteps;
        public double epoch;
        public Double loss;
        public Double evalLoss;
        public Double bestEvalLoss;
        public String bestCheckpoint;
        public String lastCheckpoint;
        public long lastEventAtMs;
    }

    public RunRecord(String runId, long createdAtMs) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.createdAtMs = createdAtMs;
        this.updatedAtMs = createdAtMs;
    }

    public String runId() {
        return runId;
    }

    public long createdAtMs() {
        return createdAtMs;
    }

    public RunState state() {
        return state;
    }

    /**
     * Moves the run to {@code next} with a note (or null).
     *
     * @throws IllegalStateException when the state machine does not allow it
     */
    public void moveTo(RunState next, String note, long nowMs) {
        state = state.moveTo(next);
        message = note;
        updatedAtMs = nowMs;
    }

    /** Restores a state read from disk, without the transition check. */
    void restore(RunState restored, long updated, String note) {
        state = restored;
        updatedAtMs = updated;
        message = note;
    }

    public long updatedAtMs() {
        return updatedAtMs;
    }

    public void touch(long nowMs) {
        updatedAtMs = nowMs;
    }

    public String message() {
        return message;
    }

    public Launch launch() {
        return launch;
    }

    public void launch(Launch value) {
        launch = value;
    }

    /** The prepared dataset: {@code dir}, {@code content_hash}, {@code train}, {@code eval}, {@code reused}. */
    public ObjectNode dataset() {
        return dataset;
    }

    public void dataset(ObjectNode value) {
        dataset = Objects.requireNonNull(value);
    }

    /** The sizing the driver chose and printed (micro batch, accumulation, memory), as rendered. */
    public ObjectNode plan() {
        return plan;
    }

    public void plan(ObjectNode value) {
        plan = Objects.requireNonNull(value);
    }

    public List<AttemptRecord> attempts() {
        return attempts;
    }

    /** The next attempt's number: 1, then one more per retry or resume. */
    public int nextAttempt() {
        return attempts.size() + 1;
    }

    /** Replaces the last attempt (when it ends). */
    public void updateLastAttempt(AttemptRecord attempt) {
        attempts.set(attempts.size() - 1, attempt);
    }

    public Progress progress() {
        return progress;
    }

    public String finalCheckpoint() {
        return finalCheckpoint;
    }

    public void finalCheckpoint(String value) {
        finalCheckpoint = value;
    }

    /** Where the final adapter (or model) is copied when the run completes. */
    public String outputPath() {
        return outputPath;
    }

    public void outputPath(String value) {
        outputPath = value;
    }

    public String profilePath() {
        return profilePath;
    }

    public void profilePath(String value) {
        profilePath = value;
    }

    /** The process id of the driver that last worked on the run, so a second driver can tell it is alive. */
    public long driverPid() {
        return driverPid;
    }

    public void driverPid(long value) {
        driverPid = value;
    }
}
