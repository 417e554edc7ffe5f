package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.TextScores;
import dev.aimnext.operators.guardrails.policy.BoundPack;
import dev.aimnext.operators.guardrails.policy.StageGuardrails;
import dev.aimnext.schemas.event.InferenceRequest;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scores each request with the packs of its stage's model guardrails, asynchronously: the text goes
 * to each pack's micro-batcher and the request comes out as a {@link ScoredRequest} when every pack
 * has answered. It never fails a request: a pack that throws, or that does not answer within the
 * stage timeout, is recorded in {@link ScoredRequest#failures} and the guardrails' {@code on_error}
 * decides downstream.
 *
 * <p>In {@link #open} each pack is leased from the TaskManager's shared engine and warmed up, so a
 * pack that cannot be opened fails the task before the first record, naming the file.
 */
public class ModelScoringFunction extends RichAsyncFunction<InferenceRequest, ScoredRequest> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelScoringFunction.class);

    /** Failure cause when the async timeout fires first. */
    static final String TIMEOUT = "timeout";

    private final StageGuardrails guardrails;
    private final ModelStageSettings settings;

    private transient List<PackScorer> scorers;
    private transient ExecutorService executor;
    private transient AtomicInteger loggedFailures;

    public ModelScoringFunction(StageGuardrails guardrails, ModelStageSettings settings) {
        this.guardrails = guardrails;
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        AtomicInteger threads = new AtomicInteger();
        // One thread per pack: batches of different packs overlap, while ORT's own intra-op pool
        // parallelises inside a batch.
        executor = Executors.newFixedThreadPool(Math.max(1, guardrails.packs().size()), r -> {
            Thread t = new Thread(r, "aim-guardrail-inference-" + subtask + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        loggedFailures = new AtomicInteger();
        EngineSettings engineSettings = settings.engineSettings();
        MetricGroup stageGroup = getRuntimeContext().getMetricGroup()
                .addGroup("aim_guardrail").addGroup("stage", guardrails.stage().name().toLowerCase(Locale.ROOT));
        scorers = new ArrayList<>();
        try {
            for (BoundPack pack : guardrails.packs().values()) {
                scorers.add(PackScorer.open(pack, settings.packCache(), engineSettings, executor, stageGroup));
            }
        } catch (RuntimeException e) {
            // Give back what was opened; the failure (naming the pack file) fails the task.
            scorers.forEach(s -> {
                s.stopAccepting();
                s.release();
            });
            scorers = null;
            executor.shutdownNow();
            throw e;
        }
    }

    @Override
    public void asyncInvoke(InferenceRequest request, ResultFuture<ScoredRequest> resultFuture) {
        long started = System.nanoTime();
        String text = ModelInputText.of(request);
        Map<String, CompletableFuture<TextScores>> pending = new HashMap<>();
        for (PackScorer scorer : scorers) {
            CompletableFuture<TextScores> future;
            try {
                future = scorer.submit(text);
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            pending.put(scorer.pack().alias(), future);
        }
        CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new)).whenComplete((ignored, error) -> {
            Map<String, Double> scores = new HashMap<>();
            Map<String, String> failures = new HashMap<>();
            pending.forEach((alias, future) -> {
                if (future.isCompletedExceptionally()) {
                    failures.put(alias, cause(alias, future));
                } else {
                    future.join().scores().forEach((key, score) -> scores.put(key, (double) score));
                }
            });
            long micros = (System.nanoTime() - started) / 1_000;
            resultFuture.complete(List.of(new ScoredRequest(request, scores, failures, micros)));
        });
    }

    /** Every pack of a timed-out request counts as failed; the guardrails' on_error decides. */
    @Override
    public void timeout(InferenceRequest request, ResultFuture<ScoredRequest> resultFuture) {
        Map<String, String> failures = new HashMap<>();
        guardrails.packs().keySet().forEach(alias -> failures.put(alias, TIMEOUT));
        resultFuture.complete(List.of(new ScoredRequest(request, new HashMap<>(), failures,
                settings.timeout().toNanos() / 1_000)));
    }

    /** A value-free cause for the verdict; the exception itself goes to the log, a few times. */
    private String cause(String alias, CompletableFuture<TextScores> future) {
        Throwable t;
        try {
            future.join();
            return "inference error";
        } catch (CompletionException e) {
            t = e.getCause() == null ? e : e.getCause();
        } catch (RuntimeException e) {
            t = e;
        }
        if (loggedFailures.incrementAndGet() <= 10) {
            LOG.warn("Inference on pack '{}' failed; its guardrails apply on_error", alias, t);
        }
        return "inference error: " + t.getClass().getSimpleName();
    }

    @Override
    public void close() throws Exception {
        if (scorers != null) {
            scorers.forEach(PackScorer::stopAccepting);
        }
        if (executor != null) {
            executor.shutdown();
            // The last batches must finish before the engine can be closed under them.
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        }
        if (scorers != null) {
            scorers.forEach(PackScorer::release);
        }
    }
}
