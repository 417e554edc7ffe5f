package dev.aimnext.jobs.finetune.driver;

import dev.aimnext.jobs.finetune.follow.ProgressLine;
import dev.aimnext.jobs.finetune.follow.TrainingMetrics;
import dev.aimnext.jobs.finetune.store.RunStore;
import dev.aimnext.operators.finetune.plan.TrainerConfig;
import dev.aimnext.operators.finetune.run.AttemptRecord;
import dev.aimnext.operators.finetune.run.RetryPolicy;
import dev.aimnext.operators.finetune.run.RunRecord;
import dev.aimnext.operators.finetune.run.RunState;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The attempt loop against a scripted backend: states, attempts, resume points and retries, without processes. */
class AttemptLoopTest {

    private static final String RUN = "r-1";

    @TempDir
    Path runsDir;

    private RunStore store;
    private RunRecord run;
    private Path runDir;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PauseSignal pause = new PauseSignal();
    private final List<String> exposition = new ArrayList<>();
    private final List<String> completions = new ArrayList<>();

    @BeforeEach
    void aRunReadyToTrain() throws IOException {
        store = new RunStore(runsDir);
        run = new RunRecord(RUN, 0);
        run.launch(new RunRecord.Launch("/job.yaml", "spec", "scripted", List.of("trainer"), 2, 60_000));
        store.create(run);
        runDir = store.runDir(RUN);
        run.moveTo(RunState.PREPARING, null, 1);
        TrainerConfigFile.write(runDir, config().toJson());
    }

    @Test
    void aCleanAttemptCompletesTheRun() throws Exception {
        ScriptedBackend backend = new ScriptedBackend().then(l -> ScriptedBackend.Script.exits(0, List.of(
                started(), "a log line", step(1, 1.5), eval(1, 1.4), completed())));

        assertThat(loop(backend, 2).drive()).isEqualTo(RunState.COMPLETED);

        RunRecord saved = store.load(RUN);
        assertThat(saved.state()).isEqualTo(RunState.COMPLETED);
        assertThat(saved.message()).isEqualTo("done");
        assertThat(saved.attempts()).extracting(AttemptRecord::outcome).containsExactly("completed");
        assertThat(saved.progress().loss).isEqualTo(1.5);
        assertThat(saved.progress().evalLoss).isEqualTo(1.4);
        assertThat(saved.finalCheckpoint()).isEqualTo("/r/final");
        assertThat(completions).containsExactly(RUN);
        assertThat(backend.launches.get(0).attempt()).isEqualTo(1);
        assertThat(TrainerConfigFile.read(runDir).resumeFrom()).isNull();
        assertThat(console()).contains("a log line", "step 1/4 (25%)");
        assertThat(Files.readAllLines(runDir.resolve("trainer.log"))).hasSize(5);
        assertThat(exposition.get(exposition.size() - 1)).contains("aim_finetune_state{run_id=\"r-1\",state=\"COMPLETED\"} 1");
    }

    @Test
    void aCrashRetriesFromTheNewestCompleteCheckpoint() throws Exception {
        ScriptedBackend backend = new ScriptedBackend()
                .then(l -> {
                    checkpoint(2);
                    return ScriptedBackend.Script.exits(1, List.of(started(), step(2, 1.2), step(3, 1.1)));
                })
                .then(l -> ScriptedBackend.Script.exits(0, List.of(started(), step(4, 1.0), completed())));

        assertThat(loop(backend, 2).drive()).isEqualTo(RunState.COMPLETED);

        RunRecord saved = store.load(RUN);
        assertThat(saved.attempts()).extracting(AttemptRecord::outcome).containsExactly("crashed (exit 1)", "completed");
        assertThat(saved.attempts().get(1).resumedFrom()).isEqualTo(runDir.resolve("checkpoint-2").toString());
        assertThat(backend.launches).extracting(l -> l.attempt()).containsExactly(1, 2);
        assertThat(TrainerConfigFile.read(runDir).resumeFrom()).isEqualTo(runDir.resolve("checkpoint-2").toString());
        assertThat(console()).contains("attempt 1 crashed (exit 1) at step 3; retry 1 of 2",
                "attempt 2 (scripted) from checkpoint-2");
    }

    @Test
    void retriesRunOutAndTheRunFails() throws Exception {
        ScriptedBackend backend = new ScriptedBackend()
                .then(l -> ScriptedBackend.Script.exits(1, List.of(started())))
                .then(l -> ScriptedBackend.Script.exits(139, List.of(started())));

        assertThat(loop(backend, 1).drive()).isEqualTo(RunState.FAILED);

        RunRecord saved = store.load(RUN);
        assertThat(saved.message()).isEqualTo("attempt 2 crashed (exit 139, signal 11) at step 0; no retries left (1); "
                + "aim finetune resume r-1 continues it");
        assertThat(completions).isEmpty();
    }

    @Test
    void aStallIsKilledAndRetried() throws Exception {
        ScriptedBackend backend = new ScriptedBackend()
                .then(l -> ScriptedBackend.Script.stalls(List.of(started(), step(1, 1.3))))
                .then(l -> ScriptedBackend.Script.exits(0, List.of(started(), completed())));

        assertThat(loop(backend, 2, Duration.ofMillis(100)).drive()).isEqualTo(RunState.COMPLETED);

        assertThat(backend.signals).containsExactly("kill 1");
        assertThat(store.load(RUN).attempts()).extracting(AttemptRecord::outcome)
                .containsExactly("stalled (killed)", "completed");
    }

    @Test
    void badConfigFailsAtOnce() throws Exception {
        ScriptedBackend backend = new ScriptedBackend().then(l -> ScriptedBackend.Script.exits(2, List.of("unknown key")));

        assertThat(loop(backend, 2).drive()).isEqualTo(RunState.FAILED);

        assertThat(backend.launches).hasSize(1);
        assertThat(store.load(RUN).message()).contains("rejected its config (exit 2)", "not retried");
    }

    @Test
    void aPauseRequestIsPassedOnAndThePausedRunIsRecorded() throws Exception {
        ScriptedBackend backend = new ScriptedBackend().then(l -> {
            pause.request(); // as the SIGTERM hook would, while the attempt runs
            return ScriptedBackend.Script.stalls(List.of(started()));
        });

        assertThat(loop(backend, 2).drive()).isEqualTo(RunState.PAUSED);

        assertThat(backend.signals).containsExactly("pause 1");
        assertThat(store.load(RUN).message()).isEqualTo("attempt 1 paused (exit 75) at step 0; aim finetune resume r-1 "
                + "continues it");
    }

    @Test
    void malformedAndForeignEventsAreReportedNotFollowed() throws Exception {
        ScriptedBackend backend = new ScriptedBackend().then(l -> ScriptedBackend.Script.exits(0, List.of(started(),
                "{\"aim_event\": \"STEP\", \"run_id\": \"r-1\", \"step\": 1, \"epoch\": 0, \"emitted_at_ms\": 1}",
                step(2, 1.0).replace("r-1", "someone-else"), completed())));

        assertThat(loop(backend, 0).drive()).isEqualTo(RunState.COMPLETED);

        assertThat(console()).contains("ignoring a malformed event line (STEP event lacks 'loss')",
                "ignoring an event of run 'someone-else'");
        assertThat(store.load(RUN).progress().loss).isNull();
    }

    @Test
    void aFailedCompletionFailsTheRunAndSaysWhereTheResultIs() throws Exception {
        ScriptedBackend backend = new ScriptedBackend().then(l -> ScriptedBackend.Script.exits(0, List.of(completed())));
        AttemptLoop loop = new AttemptLoop(store, run, backend, settings(), new RetryPolicy(0), Duration.ofMinutes(1),
                new TrainingMetrics(RUN, exposition::add), Optional.empty(), terminal(), pause,
                r -> {
                    throw new IOException("the output disk is full");
                }, clock());

        assertThat(loop.drive()).isEqualTo(RunState.FAILED);
        assertThat(store.load(RUN).message()).isEqualTo("the trainer completed but the output disk is full; the result "
                + "is in /r/final");
    }

    private AttemptLoop loop(ScriptedBackend backend, int retries) {
        return loop(backend, retries, Duration.ofMinutes(1));
    }

    private AttemptLoop loop(ScriptedBackend backend, int retries, Duration stall) {
        return new AttemptLoop(store, run, backend, settings(), new RetryPolicy(retries), stall,
                new TrainingMetrics(RUN, exposition::add), Optional.empty(), terminal(), pause, r -> {
                    completions.add(r.runId());
                    return "done";
                }, clock());
    }

    private static AttemptLoop.LaunchSettings settings() {
        return new AttemptLoop.LaunchSettings(List.of("trainer"), Map.of(), null, 1, "amd.com/gpu");
    }

    private ProgressLine terminal() {
        return new ProgressLine(new PrintStream(console, true, StandardCharsets.UTF_8), false, null);
    }

    private static Clock clock() {
        return Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC);
    }

    private String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    private TrainerConfig config() {
        return new TrainerConfig(RUN, "causal_lm", new TrainerConfig.BaseModel("m", "/m", "llama"), "lora",
                new TrainerConfig.Dataset("/d/train.jsonl", null, "jsonl", "sha256:00"),
                new TrainerConfig.Hyperparameters(2e-4, 1, 1, 1, 512, 0.0, "constant", 0.0, false, 1, true, 4),
                new TrainerConfig.Lora(8, 16, 0.0, List.of("q_proj")), null, runDir.toString(), null,
                new TrainerConfig.Checkpoint(2, 2, true), 2, 1);
    }

    /** A complete checkpoint as the protocol lays it out (manifest last, hashes of every file). */
    private void checkpoint(long step) {
        try {
            Path dir = runDir.resolve("checkpoint-" + step);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("trainer_state.json"), "{\"step\": " + step + "}");
            String hash = dev.aimnext.operators.finetune.run.CheckpointScanner.sha256(dir.resolve("trainer_state.json"));
            Files.writeString(dir.resolve("manifest.json"), "{\"step\": " + step + ", \"complete\": true, "
                    + "\"files\": {\"trainer_state.json\": \"sha256:" + hash + "\"}}");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String started() {
        return "{\"aim_event\": \"STARTED\", \"run_id\": \"r-1\", \"step\": 0, \"epoch\": 0, \"emitted_at_ms\": 1, "
                + "\"total_steps\": 4}";
    }

    private static String step(long step, double loss) {
        return "{\"aim_event\": \"STEP\", \"run_id\": \"r-1\", \"step\": " + step + ", \"epoch\": 0.5, "
                + "\"emitted_at_ms\": 2, \"loss\": " + loss + "}";
    }

    private static String eval(long step, double loss) {
        return "{\"aim_event\": \"EVAL\", \"run_id\": \"r-1\", \"step\": " + step + ", \"epoch\": 0.5, "
                + "\"emitted_at_ms\": 3, \"eval_loss\": " + loss + "}";
    }

    private static String completed() {
        return "{\"aim_event\": \"COMPLETED\", \"run_id\": \"r-1\", \"step\": 4, \"epoch\": 1, \"emitted_at_ms\": 4, "
                + "\"checkpoint_path\": \"/r/final\"}";
    }
}
