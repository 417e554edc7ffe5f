package dev.aimnext.operators.qos.sim;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one simulation run depends on; with the same config (seed included) a
 * {@link ServingSimulator} produces the same events.
 *
 * @param placement the GPU, its partitions and where each model starts, with its priority, weights
 *     and KV budget
 * @param workloads one workload per placed model
 * @param seed the seed of every random draw
 * @param durationMs how much simulated time {@link ServingSimulator#run()} covers
 * @param gpuSampleIntervalMs simulated time between two GpuSamples of a partition
 * @param interference the slowdown of models sharing a partition
 * @param moveDowntimeMs how long a moved model is offline reloading, its requests queueing
 * @param requestTimeoutMs a request still waiting this long after it arrived is dropped as TIMEOUT
 * @param node the node name telemetry reports
 */
public record SimulationConfig(GpuPlacement placement, List<ModelWorkload> workloads, long seed, long durationMs,
        long gpuSampleIntervalMs, InterferenceModel interference, long moveDowntimeMs, long requestTimeoutMs, String node) {

    public static final long DEFAULT_DURATION_MS = 600_000;
    public static final long DEFAULT_GPU_SAMPLE_INTERVAL_MS = 1_000;
    /** A vLLM restart of an 8B model with its weights in the page cache takes about this long. */
    public static final long DEFAULT_MOVE_DOWNTIME_MS = 10_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
    public static final String DEFAULT_NODE = "sim-node-0";

    public SimulationConfig {
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(interference, "interference");
        Objects.requireNonNull(node, "node");
        workloads = List.copyOf(workloads);
        if (durationMs < 0 || gpuSampleIntervalMs <= 0 || moveDowntimeMs < 0 || requestTimeoutMs <= 0) {
            throw new IllegalArgumentException("need duration >= 0, GPU sample interval > 0, move downtime >= 0 and"
                    + " request timeout > 0 ms");
        }
        Set<String> named = new HashSet<>();
        for (ModelWorkload w : workloads) {
            if (!named.add(w.model())) {
                throw new IllegalArgumentException("two workloads for model " + w.model());
            }
            if (placement.partitionOf(w.model()).isEmpty()) {
                throw new IllegalArgumentException("model " + w.model() + " has a workload but is not placed on "
                        + placement.gpuId());
            }
        }
        for (PartitionSlot p : placement.partitions()) {
            if (p.usedBytes() > p.memoryBytes()) {
                throw new IllegalArgumentException("partition " + p.partitionId() + " holds " + p.usedBytes()
                        + " bytes of weights and KV budgets but has " + p.memoryBytes());
            }
            for (ModelSlot m : p.models()) {
                if (!named.contains(m.model())) {
                    throw new IllegalArgumentException("model " + m.model() + " is placed in " + p.partitionId()
                            + " but has no workload");
                }
            }
        }
    }

    /** A builder with the defaults above, the measured interference and seed 1. */
    public static Builder builder(GpuPlacement placement) {
        return new Builder(placement);
    }

    /** This config with another seed. */
    public SimulationConfig withSeed(long newSeed) {
        return new SimulationConfig(placement, workloads, newSeed, durationMs, gpuSampleIntervalMs, interference,
                moveDowntimeMs, requestTimeoutMs, node);
    }

    /** This config with another placement (same models). */
    public SimulationConfig withPlacement(GpuPlacement newPlacement) {
        return new SimulationConfig(newPlacement, workloads, seed, durationMs, gpuSampleIntervalMs, interference,
                moveDowntimeMs, requestTimeoutMs, node);
    }

    /** The workload of {@code model}. */
    public ModelWorkload workload(String model) {
        return workloads.stream().filter(w -> w.model().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no workload for model " + model));
    }

    /** Builds a {@link SimulationConfig}. */
    public static final class Builder {
        private final GpuPlacement placement;
        private final List<ModelWorkload> workloads = new ArrayList<>();
        private long seed = 1;
        private long durationMs = DEFAULT_DURATION_MS;
        private long gpuSampleIntervalMs = DEFAULT_GPU_SAMPLE_INTERVAL_MS;
        private InterferenceModel interference = InterferenceModel.MEASURED;
        private long moveDowntimeMs = DEFAULT_MOVE_DOWNTIME_MS;
        private long requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
        private String node = DEFAULT_NODE;

        private Builder(GpuPlacement placement) {
            this.placement = placement;
        }

        public Builder workload(ModelWorkload workload) {
            workloads.add(workload);
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder durationMs(long value) {
            durationMs = value;
            return this;
        }

        public Builder gpuSampleIntervalMs(long value) {
            gpuSampleIntervalMs = value;
            return this;
        }

        public Builder interference(InterferenceModel value) {
            interference = value;
            return this;
        }

        public Builder moveDowntimeMs(long value) {
            moveDowntimeMs = value;
            return this;
        }

        public Builder requestTimeoutMs(long value) {
            requestTimeoutMs = value;
            return this;
        }

        public Builder node(String value) {
            node = value;
            return this;
        }

        public SimulationConfig build() {
            return new SimulationConfig(placement, workloads, seed, durationMs, gpuSampleIntervalMs, interference,
                    moveDowntimeMs, requestTimeoutMs, node);
        }
    }
}
