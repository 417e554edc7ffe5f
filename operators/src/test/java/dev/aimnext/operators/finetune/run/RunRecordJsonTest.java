package dev.aimnext.operators.finetune.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunRecordJsonTest {

    @Test
    void aRunSurvivesTheRoundTrip() {
        RunRecord run = new RunRecord("chat-20261128-001200", 1_000);
        run.launch(new RunRecord.Launch("/specs/job.yaml", "apiVersion: aim.amd.com/v1alpha1\n", "local",
                List.of("python3", "-m", "aim_trainer"), 2, 600_000));
        run.moveTo(RunState.PREPARING, null, 2_000);
        run.dataset(JsonNodeFactory.instance.objectNode().put("content_hash", "sha256:ab").put("reused", true));
        run.plan(JsonNodeFactory.instance.objectNode().put("micro_batch_size", 2));
        run.moveTo(RunState.RUNNING, "attempt 1 from the start", 3_000);
        run.attempts().add(AttemptRecord.started(1, 3_000, null));
        run.updateLastAttempt(run.attempts().get(0).ended(4_000, AttemptEnd.exited(1, false, false), 25));
        run.attempts().add(AttemptRecord.started(2, 5_000, "/runs/r/checkpoint-20"));
        run.progress().step = 40;
        run.progress().totalSteps = 60L;
        run.progress().loss = 1.25;
        run.progress().bestEvalLoss = 1.01;
        run.progress().bestCheckpoint = "/runs/r/checkpoint-40";
        run.finalCheckpoint("/runs/r/final");
        run.outputPath("/out/adapter");
        run.driverPid(4242);

        RunRecord back = RunRecordJson.parse(RunRecordJson.toPrettyString(run), "run.json");

        assertThat(RunRecordJson.toJson(back)).isEqualTo(RunRecordJson.toJson(run));
        assertThat(back.state()).isEqualTo(RunState.RUNNING);
        assertThat(back.attempts()).containsExactly(
                new AttemptRecord(1, 3_000, null, 4_000, 1, 25, "crashed (exit 1)"),
                new AttemptRecord(2, 5_000, "/runs/r/checkpoint-20", 0, null, 0, null));
        assertThat(back.nextAttempt()).isEqualTo(3);
        assertThat(back.launch().trainerCommand()).containsExactly("python3", "-m", "aim_trainer");
        assertThat(back.progress().totalSteps).isEqualTo(60L);
        assertThat(back.progress().evalLoss).isNull();
        assertThat(back.dataset().path("reused").asBoolean()).isTrue();
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> RunRecordJson.parse("{", "runs/x/run.json")).hasMessageStartingWith("runs/x/run.json: not valid JSON");
        assertThatThrownBy(() -> RunRecordJson.parse("{\"format_version\": 9, \"run_id\": \"x\"}", "f"))
                .hasMessage("f: not a run.json of format_version 1");
        assertThatThrownBy(() -> RunRecordJson.parse("{\"format_version\": 1, \"run_id\": \"x\", \"state\": \"DONE\"}", "f"))
                .hasMessage("f: unknown state \"DONE\"");
    }

    @Test
    void trainingEventsKeepTheirMetricsButNotTheDriverOnlyOnes() {
        TrainerEvent step = new TrainerEvent(dev.aimnext.schemas.event.TrainingEventKind.STEP, "r", 10, 0.5, 99, 1.5, null,
                2e-4, 0.9, 5000.0, 1L << 30, 12.0, null, null, null);
        var avro = TrainingEvents.toAvro(step);
        assertThat(avro.getRunId()).isEqualTo("r");
        assertThat(avro.getLoss()).isEqualTo(1.5);
        assertThat(avro.getGpuMemoryBytes()).isEqualTo(1L << 30);
        assertThat(avro.getEmittedAtMs()).isEqualTo(99);
        assertThat(Map.of("fields", avro.getSchema().getFields().size())).containsEntry("fields", 12);
    }
}
