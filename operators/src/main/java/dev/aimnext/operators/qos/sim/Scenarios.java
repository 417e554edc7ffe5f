package dev.aimnext.operators.qos.sim;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;

import java.util.ArrayList;
import java.util.List;

/** Ready-made simulations for tests, benchmarks and the demo. */
public final class Scenarios {

    public static final String GPU_ID = "gpu0";
    public static final String CHAT = "chat-high";
    public static final String BATCH = "batch-low";
    public static final String SUMMARIZE = "summarize-medium";
    public static final String CODE = "code-low";
    public static final String P0 = GPU_ID + "/p0";
    public static final String P1 = GPU_ID + "/p1";
    public static final String P2 = GPU_ID + "/p2";
    public static final String P3 = GPU_ID + "/p3";

    /** The TTFT objective the chat model of {@link #priorityWithBurstyNeighbour} is scored against. */
    public static final double CHAT_TTFT_P99_SLO_MS = 500;

    private static final long GIB = 1L << 30;
    /** One QPX partition of an MI300X: 2 of 8 XCDs and 48 of 192 GB. */
    private static final long QPX_BYTES = 48 * GIB;
    private static final double QPX_SHARE = 0.25;

    private Scenarios() {
    }

    /**
     * A HIGH-priority chat model shares a partition with a bursty LOW-priority batch model, on one
     * MI300X in QPX/NPS1 (4 partitions of 48 GiB, a quarter of the compute each), for 10 minutes:
     *
     * <table>
     *   <caption>Placement and traffic</caption>
     *   <tr><th>partition</th><th>model</th><th>memory (weights + KV)</th><th>traffic</th></tr>
     *   <tr><td>{@value #P0}</td><td>{@value #CHAT}, HIGH</td><td>16 + 12 GiB</td>
     *       <td>1.5 req/s Poisson, ±20% diurnal over 5 min; prompts lognormal median 400 (σ 0.4),
     *       outputs median 200 (σ 0.6)</td></tr>
     *   <tr><td>{@value #P0}</td><td>{@value #BATCH}, LOW</td><td>16 + 4 GiB</td>
     *       <td>0.01 req/s, ×60 (0.6 req/s) in a 30 s burst every 60 s from t = 15 s; prompts
     *       median 1500 (σ 0.4), outputs median 150 (σ 0.5)</td></tr>
     *   <tr><td>{@value #P1}</td><td>{@value #SUMMARIZE}, MEDIUM</td><td>16 + 24 GiB</td>
     *       <td>0.5 req/s; prompts median 2000, outputs median 150</td></tr>
     *   <tr><td>{@value #P2}</td><td>empty</td><td>48 GiB free</td><td></td></tr>
     *   <tr><td>{@value #P3}</td><td>{@value #CODE}, LOW</td><td>16 + 8 GiB</td>
     *       <td>0.5 req/s; prompts median 300, outputs median 100</td></tr>
     * </table>
     *
     * <p>All models use {@link ServingProfile#llama8b()} and the measured interference. Scored by
     * the p99 TTFT of {@value #CHAT} per 10 s tumbling window of event time (nearest rank over the
     * OK requests that finished in it) against {@link #CHAT_TTFT_P99_SLO_MS} = 500 ms, seeds 1, 2
     * and 3 give:
     * <ul>
     *   <li>static placement: 25, 24 and 22 of 60 windows miss (about 40%), mostly while the batch
     *       model bursts or drains its backlog;</li>
     *   <li>{@value #CHAT} moved to the empty {@value #P2} at t = 60 s (10 s reload, during which
     *       one window has no finished chat request): 8, 8 and 7 of 59 windows miss, of which 2 or 3
     *       before the move and 2 during the reload and its backlog;</li>
     *   <li>{@value #CHAT} alone from the start (or {@value #BATCH} moved away): 0, 1 and 2 of 60.</li>
     * </ul>
     * {@value #P3} has 24 GiB free, room for {@value #BATCH} (20 GiB) but not {@value #CHAT}
     * (28 GiB); {@value #P1} has 8 GiB free.
     */
    public static SimulationConfig priorityWithBurstyNeighbour(long seed) {
        ServingProfile llama8b = ServingProfile.llama8b();
        GpuPlacement placement = new GpuPlacement(GPU_ID, "QPX", "NPS1", List.of(
                new PartitionSlot(P0, QPX_BYTES, QPX_SHARE, List.of(
                        new ModelSlot(CHAT, Priority.HIGH, 16 * GIB, 12 * GIB, 4 * GIB),
                        new ModelSlot(BATCH, Priority.LOW, 16 * GIB, 4 * GIB, 2 * GIB))),
                new PartitionSlot(P1, QPX_BYTES, QPX_SHARE, List.of(
                        new ModelSlot(SUMMARIZE, Priority.MEDIUM, 16 * GIB, 24 * GIB, 4 * GIB))),
                new PartitionSlot(P2, QPX_BYTES, QPX_SHARE, List.of()),
                new PartitionSlot(P3, QPX_BYTES, QPX_SHARE, List.of(
                        new ModelSlot(CODE, Priority.LOW, 16 * GIB, 8 * GIB, 2 * GIB)))));
        return SimulationConfig.builder(placement)
                .seed(seed)
                .durationMs(600_000)
                .workload(new ModelWorkload(CHAT, ArrivalPattern.poisson(1.5).withDiurnal(0.2, 300_000),
                        TokenDistribution.lognormal(400, 0.4, 4096), TokenDistribution.lognormal(200, 0.6, 1024), llama8b))
                .workload(new ModelWorkload(BATCH, ArrivalPattern.poisson(0.01).withBursts(60, 60_000, 30_000, 15_000),
                        TokenDistribution.lognormal(1500, 0.4, 8192), TokenDistribution.lognormal(150, 0.5, 2048), llama8b))
                .workload(new ModelWorkload(SUMMARIZE, ArrivalPattern.poisson(0.5),
                        TokenDistribution.lognormal(2000, 0.4, 8192), TokenDistribution.lognormal(150, 0.5, 1024), llama8b))
                .workload(new ModelWorkload(CODE, ArrivalPattern.poisson(0.5),
                        TokenDistribution.lognormal(300, 0.5, 4096), TokenDistribution.lognormal(100, 0.5, 1024), llama8b))
                .build();
    }

    /**
     * A dense load for throughput benchmarks: an MI300X in CPX/NPS4 (8 partitions of 24 GiB and
     * 1/8 of the compute), each serving one 1B-class model alone at 8 requests/s (prompts ~200,
     * outputs ~100 tokens). About 64 requests and 8 GPU samples per simulated second.
     */
    public static SimulationConfig denseCpx(long seed) {
        ServingProfile llama1b = ServingProfile.llama1b();
        List<PartitionSlot> partitions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String model = "small-" + i;
            partitions.add(new PartitionSlot(GPU_ID + "/cpx" + i, 24 * GIB, 0.125, List.of(
                    new ModelSlot(model, Priority.MEDIUM, 3 * GIB, 12 * GIB, 1 * GIB))));
        }
        SimulationConfig.Builder builder = SimulationConfig.builder(new GpuPlacement(GPU_ID, "CPX", "NPS4", partitions)).seed(seed);
        for (int i = 0; i < 8; i++) {
            builder.workload(new ModelWorkload("small-" + i, ArrivalPattern.poisson(8),
                    TokenDistribution.lognormal(200, 0.5, 2048), TokenDistribution.lognormal(100, 0.5, 1024), llama1b));
        }
        return builder.build();
    }
}
