package dev.aimnext.jobs.finetune.follow;

import dev.aimnext.jobs.testing.PrometheusText;
import dev.aimnext.operators.finetune.run.EventLineParser;
import dev.aimnext.operators.finetune.run.RunState;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingMetricsTest {

    private final List<String> published = new ArrayList<>();
    private final TrainingMetrics metrics = new TrainingMetrics("r-1", published::add);

    @Test
    void everyFamilyIsDeclaredButOnlyReportedValuesAreExported() {
        PrometheusText text = PrometheusText.parse(metrics.render());

        assertThat(text.types()).containsKeys("aim_finetune_step", "aim_finetune_loss", "aim_finetune_eval_loss",
                "aim_finetune_learning_rate", "aim_finetune_grad_norm", "aim_finetune_tokens_per_second",
                "aim_finetune_gpu_memory_bytes", "aim_finetune_eta_seconds", "aim_finetune_state")
                .allSatisfy((name, type) -> assertThat(type).isEqualTo("gauge"));
        assertThat(text.count("aim_finetune_loss")).isZero();
        assertThat(text.value("aim_finetune_state", "run_id", "r-1", "state", "CREATED")).isEqualTo(1.0);
    }

    @Test
    void aStepEventSetsItsGaugesAndPublishesTheExposition() throws Exception {
        metrics.onEvent(EventLineParser.parse("{\"aim_event\": \"STEP\", \"run_id\": \"r\", \"step\": 120, "
                + "\"epoch\": 0.41, \"emitted_at_ms\": 1764290000000, \"loss\": 1.873, \"learning_rate\": 1.9e-4, "
                + "\"grad_norm\": 0.92, \"tokens_per_sec\": 5120.0, \"gpu_memory_bytes\": 17179869184, "
                + "\"eta_sec\": 840.0}").orElseThrow());
        metrics.onState(RunState.RUNNING);

        PrometheusText text = PrometheusText.parse(published.get(published.size() - 1));
        String id = "r-1";
        assertThat(text.value("aim_finetune_step", "run_id", id)).isEqualTo(120.0);
        assertThat(text.value("aim_finetune_loss", "run_id", id)).isEqualTo(1.873);
        assertThat(text.value("aim_finetune_learning_rate", "run_id", id)).isEqualTo(1.9e-4);
        assertThat(text.value("aim_finetune_gpu_memory_bytes", "run_id", id)).isEqualTo(17179869184.0);
        assertThat(text.value("aim_finetune_eta_seconds", "run_id", id)).isEqualTo(840.0);
        assertThat(text.value("aim_finetune_last_event_timestamp_seconds", "run_id", id)).isEqualTo(1764290000.0);
        assertThat(text.value("aim_finetune_state", "run_id", id, "state", "RUNNING")).isEqualTo(1.0);
        assertThat(text.count("aim_finetune_state")).as("one state at a time").isEqualTo(1);
    }

    @Test
    void runIdsAreEscapedAsLabelValues() {
        assertThat(new TrainingMetrics("a\"b\\c", t -> { }).render()).contains("run_id=\"a\\\"b\\\\c\"");
    }

    @Test
    void nonFiniteValuesUseThePrometheusSpelling() {
        assertThat(TrainingMetrics.format(Double.NaN)).isEqualTo("NaN");
        assertThat(TrainingMetrics.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(TrainingMetrics.format(3.0)).isEqualTo("3");
        assertThat(TrainingMetrics.format(1.807206705364804)).isEqualTo("1.807206705364804");
    }
}
