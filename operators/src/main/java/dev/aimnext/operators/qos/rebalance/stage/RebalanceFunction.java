package dev.aimnext.operators.qos.rebalance.stage;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.rebalance.GpuState;
import dev.aimnext.operators.qos.rebalance.ModelHistory;
import dev.aimnext.operators.qos.rebalance.PlacementLoader;
import dev.aimnext.operators.qos.rebalance.PlacementWriter;
import dev.aimnext.operators.qos.rebalance.RebalanceSettings;
import dev.aimnext.operators.qos.rebalance.Rebalancer;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.QosWindow;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rebalancer inside Flink: keyed by GPU id ({@link GpuKeys}), QoS windows on the first input and
 * GPU samples (optional; an empty stream will do) on the second, partition plans out, keyed by GPU
 * as {@code aim.partition.plans} wants them.
 *
 * <p>Per GPU it keeps the placement (as {@link PlacementWriter} JSON), the cooldown clocks, the model
 * histories and the admission limits in keyed state, so a restart from a checkpoint resumes with the
 * same placement and cooldowns instead of the initial file. Before the first record of a GPU, the
 * initial placement comes from the placement text given to the constructor; records for a GPU not in
 * it are dropped. With dry-run off the operator takes its own plans as applied the moment it emits
 * them (an actuator downstream carries them out); with dry-run on the placement stays as it is and
 * cooldowns keep the same advice from repeating every window.
 */
public class RebalanceFunction extends KeyedCoProcessFunction<String, QosWindow, GpuSample, PartitionPlan> {

    private static final long serialVersionUID = 1L;

    private final RebalanceSettings settings;
    private final List<ModelSlo> slos;
    private final String initialPlacements;

    private transient Map<String, GpuPlacement> initial;
    private transient ValueState<String> placement;
    private transient MapState<String, Long> clocks;
    private transient MapState<String, ModelHistory> histories;
    private transient MapState<String, Double> limits;
    private transient Counter plans;

    /**
     * @param initialPlacements the placement file's text ({@link PlacementLoader} format), checked
     *     here so a bad file fails the job at build time, not at the first record
     */
    public RebalanceFunction(RebalanceSettings settings, List<ModelSlo> slos, String initialPlacements) {
        this.settings = settings;
        this.slos = List.copyOf(slos);
        this.initialPlacements = initialPlacements;
        PlacementLoader.load(initialPlacements, "initial placement");
    }

    @Override
    public void open(OpenContext openContext) {
        initial = new HashMap<>();
        for (GpuPlacement p : PlacementLoader.load(initialPlacements, "initial placement")) {
            initial.put(p.gpuId(), p);
        }
        placement = getRuntimeContext().getState(new ValueStateDescriptor<>("placement", Types.STRING));
        clocks = getRuntimeContext().getMapState(new MapStateDescriptor<>("clocks", Types.STRING, Types.LONG));
        histories = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("histories", Types.STRING, TypeInformation.of(ModelHistory.class)));
        limits = getRuntimeContext().getMapState(new MapStateDescriptor<>("limits", Types.STRING, Types.DOUBLE));
        plans = getRuntimeContext().getMetricGroup().counter("rebalancePlans");
    }

    @Override
    public void processElement1(QosWindow window, Context ctx, Collector<PartitionPlan> out) throws Exception {
        run(ctx.getCurrentKey(), r -> r.onWindow(window), out);
    }

    @Override
    public void processElement2(GpuSample sample, Context ctx, Collector<PartitionPlan> out) throws Exception {
        run(ctx.getCurrentKey(), r -> {
            r.onGpuSample(sample);
            return List.of();
        }, out);
    }

    private void run(String gpuId, Function<Rebalancer, List<PartitionPlan>> step, Collector<PartitionPlan> out)
            throws Exception {
        GpuState state = load(gpuId);
        if (state == null) {
            return;
        }
        Rebalancer rebalancer = Rebalancer.over(settings, slos, state);
        List<PartitionPlan> emitted = step.apply(rebalancer);
        if (!settings.dryRun()) {
            emitted.forEach(rebalancer::onPlanApplied);
        }
        save(state);
        for (PartitionPlan plan : emitted) {
            plans.inc();
            out.collect(plan);
        }
    }

    private GpuState load(String gpuId) throws Exception {
        String text = placement.value();
        GpuPlacement current;
        if (text != null) {
            current = PlacementLoader.load(text, "state of " + gpuId).get(0);
        } else {
            current = initial.get(gpuId);
            if (current == null) {
                return null;
            }
        }
        return new GpuState(current, copy(clocks), copy(histories), copy(limits));
    }

    private void save(GpuState state) throws Exception {
        placement.update(PlacementWriter.write(state.placement()));
        clocks.clear();
        clocks.putAll(state.clocks());
        histories.clear();
        histories.putAll(state.histories());
        limits.clear();
        limits.putAll(state.admissionLimits());
    }

    private static <V> Map<String, V> copy(MapState<String, V> state) throws Exception {
        Map<String, V> out = new HashMap<>();
        for (Map.Entry<String, V> e : state.entries()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
