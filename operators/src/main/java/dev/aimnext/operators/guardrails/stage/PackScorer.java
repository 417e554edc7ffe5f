package dev.aimnext.operators.guardrails.stage;

import dev.aimnext.operators.guardrails.engine.EngineRegistry;
import dev.aimnext.operators.guardrails.engine.EngineSettings;
import dev.aimnext.operators.guardrails.engine.InferenceEngine;
import dev.aimnext.operators.guardrails.engine.MicroBatcher;
import dev.aimnext.operators.guardrails.engine.ModelPackException;
import dev.aimnext.operators.guardrails.engine.TextScores;
import dev.aimnext.operators.guardrails.policy.BoundPack;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One pack as one operator instance uses it: a lease on the TaskManager's shared engine and the
 * operator's own micro-batcher in front of it, with batch metrics under {@code pack=<alias>}.
 * Batches run on the operator's executor; the linger timer runs partly filled ones.
 */
final class PackScorer {

    /** Samples kept for the batch quantiles; a window, not the whole history. */
    private static final int WINDOW = 2048;

    private final BoundPack pack;
    private final EngineRegistry.Lease lease;
    private final MicroBatcher<String, Outcome> batcher;
    private final Histogram batchSize;
    private final Histogram batchLatencyMicros;
    private final Counter failedBatches;

    private PackScorer(BoundPack pack, EngineRegistry.Lease lease, EngineSettings settings, Executor executor,
                       MetricGroup stageGroup) {
        this.pack = pack;
        this.lease = lease;
        MetricGroup group = stageGroup.addGroup("pack", pack.alias());
        batchSize = group.histogram("batch_size", new DescriptiveStatisticsHistogram(WINDOW));
        batchLatencyMicros = group.histogram("batch_latency_us", new DescriptiveStatisticsHistogram(WINDOW));
        failedBatches = group.counter("failed_batches");
        InferenceEngine engine = lease.engine();
        batcher = new MicroBatcher<>(settings.maxBatchSize(), settings.linger(),
                InferenceEngine::lengthBucket, texts -> scoreBatch(engine, texts), executor, System::nanoTime);
    }

    /**
     * Opens the pack: resolves it (writing a built-in pack into the cache), leases the shared
     * engine, checks that it is the version the job was started with, and warms it up.
     */
    static PackScorer open(BoundPack pack, Path cacheDir, EngineSettings settings, Executor executor,
                           MetricGroup stageGroup) {
        EngineRegistry.Lease lease = EngineRegistry.shared().acquire(pack.reference().resolve(cacheDir), settings);
        try {
            InferenceEngine engine = lease.engine();
            if (!engine.pack().version().equals(pack.version())) {
                throw new ModelPackException("pack '" + pack.alias() + "' at " + engine.pack().dir() + " is version "
                        + engine.pack().version() + " here, but the job was checked against version " + pack.version());
            }
            engine.warmUp();
            PackScorer scorer = new PackScorer(pack, lease, settings, executor, stageGroup);
            scorer.batcher.startLingerTimer();
            return scorer;
        } catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    BoundPack pack() {
        return pack;
    }

    /** Scores of one text, or why ORT could not score it. */
    private record Outcome(TextScores scores, RuntimeException error) {}

    /** Queues one text; the future fails when ORT cannot score this text (not when a neighbour fails). */
    CompletableFuture<TextScores> submit(String text) {
        return batcher.submit(text).thenCompose(o -> o.error() == null
                ? CompletableFuture.completedFuture(o.scores()) : CompletableFuture.failedFuture(o.error()));
    }

    /** Stops the linger timer and hands what is queued to the executor; later submits fail. */
    void stopAccepting() {
        batcher.close();
    }

    /** Gives the engine back; call after the executor has finished the last batch. */
    void release() {
        lease.close();
    }

    private List<Outcome> scoreBatch(InferenceEngine engine, List<String> texts) {
        long started = System.nanoTime();
        try {
            return engine.score(texts).stream().map(scores -> new Outcome(scores, null)).toList();
        } catch (RuntimeException e) {
            synchronized (failedBatches) {
                failedBatches.inc();
            }
            return texts.size() == 1 ? List.of(new Outcome(null, e)) : oneByOne(engine, texts);
        } finally {
            long micros = (System.nanoTime() - started) / 1_000;
            // Batches of one operator may run on several executor threads; the histograms are not thread-safe.
            synchronized (batchSize) {
                batchSize.update(texts.size());
                batchLatencyMicros.update(micros);
            }
        }
    }

    /**
     * After a failed batch, each text alone: one text that ORT cannot run must not fail its batch
     * neighbours, or a fail_closed guardrail would block requests that were never the problem.
     */
    private static List<Outcome> oneByOne(InferenceEngine engine, List<String> texts) {
        List<Outcome> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            try {
                out.add(new Outcome(engine.score(List.of(text)).get(0), null));
            } catch (RuntimeException e) {
                out.add(new Outcome(null, e));
            }
        }
        return out;
    }
}
