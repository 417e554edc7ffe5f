package dev.aimnext.operators.finetune.run;

import dev.aimnext.schemas.event.TrainingEventKind;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventLineParserTest {

    private static final String COMMON = "\"run_id\": \"r1\", \"step\": 120, \"epoch\": 0.41, \"emitted_at_ms\": 1764290000000";

    @Test
    void readsAStepEventWithEveryMetric() throws Exception {
        TrainerEvent e = EventLineParser.parse("{\"aim_event\": \"STEP\", " + COMMON + ", \"loss\": 1.873, "
                + "\"learning_rate\": 1.9e-4, \"grad_norm\": 0.92, \"tokens_per_sec\": 5120.0, "
                + "\"gpu_memory_bytes\": 17179869184, \"eta_sec\": 840.0}").orElseThrow();

        assertThat(e.kind()).isEqualTo(TrainingEventKind.STEP);
        assertThat(e.runId()).isEqualTo("r1");
        assertThat(e.step()).isEqualTo(120);
        assertThat(e.epoch()).isEqualTo(0.41);
        assertThat(e.emittedAtMs()).isEqualTo(1764290000000L);
        assertThat(e.loss()).isEqualTo(1.873);
        assertThat(e.learningRate()).isEqualTo(1.9e-4);
        assertThat(e.gradNorm()).isEqualTo(0.92);
        assertThat(e.tokensPerSec()).isEqualTo(5120.0);
        assertThat(e.gpuMemoryBytes()).isEqualTo(17179869184L);
        assertThat(e.etaSec()).isEqualTo(840.0);
        assertThat(e.evalLoss()).isNull();
        assertThat(e.checkpointPath()).isNull();
    }

    @Test
    void readsTheOtherKinds() throws Exception {
        assertThat(EventLineParser.parse("{\"aim_event\":\"STARTED\"," + COMMON + ",\"message\":\"resumed from "
                + "checkpoint-400\",\"total_steps\":600}").orElseThrow())
                .extracting(TrainerEvent::message, TrainerEvent::totalSteps)
                .containsExactly("resumed from checkpoint-400", 600L);
        assertThat(EventLineParser.parse("{\"aim_event\":\"EVAL\"," + COMMON + ",\"eval_loss\":1.5}").orElseThrow()
                .evalLoss()).isEqualTo(1.5);
        assertThat(EventLineParser.parse("{\"aim_event\":\"CHECKPOINT\"," + COMMON + ",\"checkpoint_path\":\"/r/c\"}")
                .orElseThrow().checkpointPath()).isEqualTo("/r/c");
        assertThat(EventLineParser.parse("{\"aim_event\":\"COMPLETED\"," + COMMON + ",\"checkpoint_path\":\"/r/f\"}")
                .orElseThrow().kind()).isEqualTo(TrainingEventKind.COMPLETED);
        assertThat(EventLineParser.parse("{\"aim_event\":\"FAILED\"," + COMMON + ",\"message\":\"OOM\"}")
                .orElseThrow().message()).isEqualTo("OOM");
    }

    @Test
    void ordinaryLinesAreLogs() throws Exception {
        assertThat(EventLineParser.parse("Loading checkpoint shards: 100%|##########| 4/4")).isEmpty();
        assertThat(EventLineParser.parse("")).isEmpty();
        assertThat(EventLineParser.parse("{\"loss\": 1.2, \"step\": 3}")).as("JSON without aim_event").isEmpty();
        assertThat(EventLineParser.parse("{not json at all")).isEmpty();
        assertThat(EventLineParser.parse("[1, 2]")).isEmpty();
    }

    @Test
    void aDivergedLossIsAValueNotALogLine() throws Exception {
        TrainerEvent e = EventLineParser.parse("{\"aim_event\":\"STEP\"," + COMMON + ",\"loss\":NaN}").orElseThrow();
        assertThat(e.loss()).isNaN();
    }

    @Test
    void nullOptionalMetricsAreAbsent() throws Exception {
        TrainerEvent e = EventLineParser.parse("{\"aim_event\":\"STEP\"," + COMMON
                + ",\"loss\":1.0,\"gpu_memory_bytes\":null,\"grad_norm\":null}").orElseThrow();
        assertThat(e.gpuMemoryBytes()).isNull();
        assertThat(e.gradNorm()).isNull();
    }

    @Test
    void rejectsEventsThatBreakTheProtocol() {
        assertMalformed("{\"aim_event\":\"STEPPED\"," + COMMON + ",\"loss\":1}", "unknown aim_event \"STEPPED\"");
        assertMalformed("{\"aim_event\":\"STEP\"," + COMMON + "}", "STEP event lacks 'loss'");
        assertMalformed("{\"aim_event\":\"STEP\"," + COMMON + ",\"loss\":1,\"los\":2}", "unknown field 'los'");
        assertMalformed("{\"aim_event\":\"EVAL\"," + COMMON + ",\"eval_loss\":1,\"loss\":2}", "unknown field 'loss'");
        assertMalformed("{\"aim_event\":\"STEP\",\"run_id\":\"r\",\"epoch\":0,\"emitted_at_ms\":1,\"loss\":1}",
                "STEP event lacks 'step'");
        assertMalformed("{\"aim_event\":\"STEP\",\"run_id\":\"r\",\"step\":1.5,\"epoch\":0,\"emitted_at_ms\":1,\"loss\":1}",
                "'step' must be a whole number >= 0");
        assertMalformed("{\"aim_event\":\"STEP\",\"run_id\":\"r\",\"step\":-1,\"epoch\":0,\"emitted_at_ms\":1,\"loss\":1}",
                "'step' must be a whole number >= 0");
        assertMalformed("{\"aim_event\":\"STEP\"," + COMMON + ",\"loss\":\"1.0\"}", "'loss' must be a number");
        assertMalformed("{\"aim_event\":\"STEP\",\"run_id\":\"\",\"step\":1,\"epoch\":0,\"emitted_at_ms\":1,\"loss\":1}",
                "empty 'run_id'");
        assertMalformed("{\"aim_event\":\"CHECKPOINT\"," + COMMON + ",\"checkpoint_path\":3}",
                "'checkpoint_path' must be a string");
        assertMalformed("{\"aim_event\": \"STEP\", \"loss\": 1.0,", "not valid JSON");
    }

    private static void assertMalformed(String line, String reason) {
        assertThatThrownBy(() -> EventLineParser.parse(line))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageContaining(reason);
    }
}
