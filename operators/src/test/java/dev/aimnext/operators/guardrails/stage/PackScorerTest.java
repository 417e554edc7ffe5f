package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.ExecutionProvider;
import dev.aimnext.operators.guardrails.engine.TextScores;
import dev.aimnext.operators.guardrails.policy.BoundPack;
import dev.aimnext.operators.guardrails.policy.PackReference;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A text that ONNX Runtime cannot run fails alone, not the batch it shared with others. */
class PackScorerTest {

    @TempDir
    Path dir;

    @Test
    void aFailingTextDoesNotFailItsBatchNeighbours() throws Exception {
        // BrittlePack's graph fails in ORT on token ids at or above 29,000: "starbucks" is 29500.
        Path packDir = BrittlePack.write(dir.resolve("brittle"), 29_000, "ok", "brittle", "brittle-1");
        BoundPack pack = new BoundPack("brittle", new PackReference(packDir.toString()), "brittle-1",
                List.of("ok", "brittle"));
        // A long linger: the three texts wait for each other and run as one batch when flushed.
        EngineSettings settings = new EngineSettings(ExecutionProvider.CPU, 0, 1, 0L, 8, Duration.ofMinutes(1), 0);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        PackScorer scorer = PackScorer.open(pack, dir.resolve("cache"), settings, executor, new UnregisteredMetricsGroup());
        try {
            CompletableFuture<TextScores> first = scorer.submit("What is the capital of France?");
            CompletableFuture<TextScores> brittle = scorer.submit("Is starbucks open on sunday?");
            CompletableFuture<TextScores> third = scorer.submit("What is the capital of Spain?");
            scorer.stopAccepting();

            assertThat(first.get(30, TimeUnit.SECONDS).scores()).containsKeys("ok", "brittle");
            assertThat(third.get(30, TimeUnit.SECONDS).scores()).containsKeys("ok", "brittle");
            assertThatThrownBy(() -> brittle.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("inference failed on pack brittle-1");
        } finally {
            executor.shutdown();
            executor.awaitTermination(30, TimeUnit.SECONDS);
            scorer.release();
        }
    }
}
