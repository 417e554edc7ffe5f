package dev.aimnext.jobs.finetune.follow;

import dev.aimnext.operators.finetune.run.EventLineParser;
import dev.aimnext.operators.finetune.run.TrainerEvent;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLineTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void aStepLineShowsProgressLossThroughputMemoryAndEta() throws Exception {
        ProgressLine line = new ProgressLine(new PrintStream(out, true, StandardCharsets.UTF_8), false, 600L);
        line.onEvent(event("\"aim_event\": \"EVAL\", \"step\": 100, \"eval_loss\": 1.9"));
        line.onEvent(event("\"aim_event\": \"STEP\", \"step\": 120, \"loss\": 1.873, \"learning_rate\": 1.9e-4, "
                + "\"grad_norm\": 0.92, \"tokens_per_sec\": 5120.0, \"gpu_memory_bytes\": 17179869184, \"eta_sec\": 840.0"));

        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "aim finetune: step 100 eval loss 1.9000",
                "step 120/600 (20%)  epoch 0.41  loss 1.8730  eval 1.9000  lr 1.90e-04  grad 0.9200  5120 tok/s  "
                        + "mem 16.0 GiB  ETA 14m00s");
    }

    @Test
    void onATerminalTheLineIsRedrawnAndLogsStartOnAFreshLine() throws Exception {
        ProgressLine line = new ProgressLine(new PrintStream(out, true, StandardCharsets.UTF_8), true, null);
        line.onEvent(event("\"aim_event\": \"STEP\", \"step\": 1, \"loss\": 2.0"));
        line.onEvent(event("\"aim_event\": \"STEP\", \"step\": 2, \"loss\": 1.5"));
        line.log("a trainer log line");

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("\r\u001b[2Kstep 1  epoch 0.41  loss 2.0000"
                + "\r\u001b[2Kstep 2  epoch 0.41  loss 1.5000\na trainer log line\n");
    }

    @Test
    void durationsReadAsHoursAndMinutes() {
        assertThat(ProgressLine.duration(59)).isEqualTo("0m59s");
        assertThat(ProgressLine.duration(3 * 3600 + 7 * 60)).isEqualTo("3h07m");
    }

    private static TrainerEvent event(String fields) throws Exception {
        return EventLineParser.parse("{" + fields + ", \"run_id\": \"r\", \"epoch\": 0.41, \"emitted_at_ms\": 1}")
                .orElseThrow();
    }
}
