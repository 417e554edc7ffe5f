package dev.aimnext.operators.qos.sim.internal;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.sim.InterferenceModel;
import dev.aimnext.operators.qos.sim.ModelStats;
import dev.aimnext.operators.qos.sim.ModelWorkload;
import dev.aimnext.operators.qos.sim.SimulationConfig;
import dev.aimnext.operators.qos.sim.TelemetryListener;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole simulated GPU: its partitions, one {@link ModelEngine} per model, and the GPU-sample
 * clock. It finds the next event and dispatches it; the caller owns the loop and the plans.
 *
 * <p>Events at equal times go in a fixed order (samples, then step ends and then arrivals, each by
 * model in config order), so a run is reproducible to the event.
 */
public final class ServingState {

    private final SimulationConfig config;
    private final InterferenceModel interference;
    private final TelemetryEmitter emitter;
    private final ModelEngine[] engines;
    private final List<PartitionSlot> partitions;
    private final List<ModelEngine> sampleScratch = new ArrayList<>();
    private GpuPlacement placement;
    private double nextSampleMs;

    public ServingState(SimulationConfig config, TelemetryListener listener) {
        this.config = config;
        this.interference = config.interference();
        this.placement = config.placement();
        this.partitions = placement.partitions();
        this.emitter = new TelemetryEmitter(listener, config.node(), placement.gpuId());
        RequestPool pool = new RequestPool();
        List<ModelWorkload> workloads = config.workloads();
        this.engines = new ModelEngine[workloads.size()];
        for (int i = 0; i < engines.length; i++) {
            engines[i] = new ModelEngine(i, workloads.get(i), interference, config.requestTimeoutMs(), config.seed(), pool,
                    emitter);
            syncFromPlacement(engines[i]);
        }
        this.nextSampleMs = config.gpuSampleIntervalMs();
    }

    /** The time of the next event, or +∞. */
    public double nextEventMs() {
        double t = nextSampleMs;
        for (ModelEngine e : engines) {
            t = Math.min(t, Math.min(e.stepEndMs(), e.nextArrivalMs()));
        }
        return t;
    }

    /** Dispatches one event due at {@code t}, which must be {@link #nextEventMs()}. */
    public void dispatch(double t) {
        if (nextSampleMs == t) {
            sample(t);
            return;
        }
        for (ModelEngine e : engines) {
            if (e.stepEndMs() == t) {
                e.finishStep(t);
                e.startStep(t, neighbourWeight(e));
                return;
            }
        }
        for (ModelEngine e : engines) {
            if (e.nextArrivalMs() == t) {
                if (e.arrive(t)) {
                    e.startStep(t, neighbourWeight(e));
                }
                return;
            }
        }
        throw new IllegalStateException("no event due at " + t);
    }

    public GpuPlacement placement() {
        return placement;
    }

    public long eventsEmitted() {
        return emitter.emitted();
    }

    /** Counters of {@code model}. */
    public ModelStats stats(String model) {
        return engine(model).stats();
    }

    ModelEngine engine(String model) {
        for (ModelEngine e : engines) {
            if (e.model.equals(model)) {
                return e;
            }
        }
        throw new IllegalArgumentException("model " + model + " is not simulated on " + placement.gpuId());
    }

    SimulationConfig config() {
        return config;
    }

    /** Replaces the placement and brings every engine's copy of it up to date. */
    void updatePlacement(GpuPlacement newPlacement) {
        placement = newPlacement;
        for (ModelEngine e : engines) {
            syncFromPlacement(e);
        }
    }

    private void syncFromPlacement(ModelEngine e) {
        ModelSlot slot = placement.model(e.model).orElseThrow();
        PartitionSlot p = placement.partitionOf(e.model).orElseThrow();
        for (int i = 0; i < partitions.size(); i++) {
            if (partitions.get(i).partitionId().equals(p.partitionId())) {
                e.partition = i;
            }
        }
        e.partitionId = p.partitionId();
        e.computeShare = p.computeShare();
        e.priority = slot.priority();
        e.weightBytes = slot.weightBytes();
        e.kvBudgetTokens = slot.kvBudgetBytes() / e.kvBytesPerToken();
    }

    /** The summed weight of the other models in {@code e}'s partition that are executing now. */
    private double neighbourWeight(ModelEngine e) {
        double weight = 0;
        for (ModelEngine other : engines) {
            if (other != e && other.partition == e.partition && other.active()) {
                weight += interference.neighbourWeight(e.priority.ordinal(), other.priority.ordinal());
            }
        }
        return weight;
    }

    private void sample(double t) {
        long at = (long) t;
        for (int p = 0; p < partitions.size(); p++) {
            sampleScratch.clear();
            double busy = 0;
            for (ModelEngine e : engines) {
                if (e.partition == p) {
                    sampleScratch.add(e);
                    busy += e.takeBusyMs(t);
                }
            }
            PartitionSlot slot = partitions.get(p);
            emitter.gpuSample(slot.partitionId(), slot.memoryBytes(), placement.computeMode(), placement.memoryMode(),
                    sampleScratch, busy, config.gpuSampleIntervalMs(), at);
        }
        nextSampleMs += config.gpuSampleIntervalMs();
    }
}
