package dev.aimnext.jobs.bench;

import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.operators.qos.slo.SloCatalog;
import dev.aimnext.schemas.event.RequestPriority;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic request telemetry for tests and benchmarks: event {@code i} is a pure function of
 * the seed and {@code i} (its own seeded {@link Random}), so a Flink generator source and a test's
 * exact reference compute the very same events without shipping them around. Latencies are
 * lognormal per model; events advance {@code stepMs} per index in event time with a bounded jitter,
 * so they arrive out of order but never later than {@code jitterMs}.
 */
public final class SyntheticTelemetry implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A served model on a partition, with the log-mean and log-spread of its latencies. */
    public record Placement(String model, String gpuId, String partitionId, double ttftMedianMs, double tpotMedianMs,
            double sigma) implements Serializable {}

    private final long seed;
    private final List<Placement> placements;
    private final long startMs;
    private final double stepMs;
    private final long jitterMs;

    public SyntheticTelemetry(long seed, List<Placement> placements, long startMs, double stepMs, long jitterMs) {
        this.seed = seed;
        this.placements = List.copyOf(placements);
        this.startMs = startMs;
        this.stepMs = stepMs;
        this.jitterMs = jitterMs;
    }

    /** Six (model, partition) pairs of four models on three partitions of two GPUs. */
    public static List<Placement> defaultPlacements() {
        List<Placement> p = new ArrayList<>();
        p.add(new Placement("llama-3.1-8b", "gpu0", "gpu0/cpx0", 180, 22, 0.45));
        p.add(new Placement("llama-3.1-8b", "gpu0", "gpu0/cpx1", 210, 25, 0.55));
        p.add(new Placement("mistral-7b", "gpu0", "gpu0/cpx1", 150, 18, 0.40));
        p.add(new Placement("qwen2.5-14b", "0000:83:00.0", "0", 320, 35, 0.60));
        p.add(new Placement("phi-3-mini", "0000:83:00.0", "0", 90, 12, 0.35));
        p.add(new Placement("qwen2.5-14b", "gpu0", "gpu0/cpx0", 300, 30, 0.50));
        return p;
    }

    /** Objectives near each model's p95, so attainment is neither 0 nor 1. */
    public static SloCatalog defaultSlos() {
        return new SloCatalog(List.of(
                new ModelSlo("llama-3.1-8b", 400, 40, 9_000, Priority.HIGH, 24L << 30, 0),
                new ModelSlo("mistral-7b", 300, 30, 6_000, Priority.MEDIUM, 16L << 30, 0),
                new ModelSlo("qwen2.5-14b", 700, 60, 15_000, Priority.HIGH, 32L << 30, 0)));
        // phi-3-mini has no objectives: its successes all count as within SLO.
    }

    public List<Placement> placements() {
        return placements;
    }

    public RequestTelemetry event(long index) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + index);
        Placement p = placements.get((int) (index % placements.size()));
        double ttft = p.ttftMedianMs() * Math.exp(p.sigma() * random.nextGaussian());
        double tpot = p.tpotMedianMs() * Math.exp(0.6 * p.sigma() * random.nextGaussian());
        int completion = random.nextInt(10) == 0 ? 1 : 2 + random.nextInt(400);
        double e2e = ttft + tpot * Math.max(0, completion - 1);
        int roll = random.nextInt(200);
        RequestStatus status = roll == 0 ? RequestStatus.ERROR : roll == 1 ? RequestStatus.TIMEOUT : RequestStatus.OK;
        long jitter = jitterMs == 0 ? 0 : (long) (random.nextDouble() * 2 * jitterMs) - jitterMs;
        return RequestTelemetry.newBuilder()
                .setRequestId("req-" + seed + "-" + index)
                .setModel(p.model())
                .setNode("node-a")
                .setGpuId(p.gpuId())
                .setPartitionId(p.partitionId())
                .setPriority(RequestPriority.NORMAL)
                .setTtftMs(ttft)
                .setTpotMs(tpot)
                .setE2eMs(e2e)
                .setPromptTokens(50 + random.nextInt(2000))
                .setCompletionTokens(completion)
                .setStatus(status)
                .setEventTimeMs(startMs + (long) (index * stepMs) + jitter)
                .build();
    }
}
