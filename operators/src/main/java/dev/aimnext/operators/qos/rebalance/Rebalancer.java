package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.sim.PlanParameters;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.GpuProcess;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;
import dev.aimnext.schemas.event.PlanActionKind;
import dev.aimnext.schemas.event.QosWindow;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns QoS windows into partition plans for the GPUs it holds, in four tiers tried cheapest first:
 * {@link AdmissionHints} (1), {@link KvBudgetResizer} (2), {@link ModelMovePlanner} (3) and
 * {@link PartitionModePlanner} (4). At most one plan per window: the first tier with something to
 * do wins, each tier waits for its own cooldown (tier 4 for tier 3's too: a drain is considered
 * only when a move could have been proposed and was not), and after any plan the GPU waits
 * {@link RebalanceSettings#settleMs} so the next windows show the plan's effect before another.
 *
 * <p>All clocks are event time (window ends), so the same windows always give the same plans.
 * Proposing does not change the placement: a plan may be dry-run or refused, so the placement moves
 * only through {@link #onPlanApplied}. Plain Java; {@code stage.RebalanceFunction} runs one instance
 * per GPU inside Flink with this state in keyed state.
 */
public final class Rebalancer {

    private final RebalanceSettings settings;
    private final Map<String, ModelSlo> slos;
    private final Map<String, GpuState> gpus = new TreeMap<>();

    public Rebalancer(RebalanceSettings settings, Collection<ModelSlo> slos, Collection<GpuPlacement> placements) {
        this(settings, slos);
        for (GpuPlacement p : placements) {
            if (gpus.put(p.gpuId(), new GpuState(p)) != null) {
                throw new IllegalArgumentException("GPU " + p.gpuId() + " is placed twice");
            }
        }
    }

    private Rebalancer(RebalanceSettings settings, Collection<ModelSlo> slos) {
        this.settings = settings;
        this.slos = new TreeMap<>();
        for (ModelSlo slo : slos) {
            if (this.slos.put(slo.model(), slo) != null) {
                throw new IllegalArgumentException("model " + slo.model() + " has two SLOs");
            }
        }
    }

    /** A rebalancer over one GPU's existing state, which it updates in place (for the Flink operator). */
    public static Rebalancer over(RebalanceSettings settings, Collection<ModelSlo> slos, GpuState state) {
        Rebalancer r = new Rebalancer(settings, slos);
        r.gpus.put(state.gpuId(), state);
        return r;
    }

    /**
     * Takes in one QoS window and returns the plan it triggers, if any. Windows of another kind, of
     * a model no held GPU serves, and late or duplicate windows give nothing.
     */
    public List<PartitionPlan> onWindow(QosWindow w) {
        if (!settings.windowKind().equals(w.getWindowKind())) {
            return List.of();
        }
        Optional<GpuState> found = gpuOf(w.getPartitionId(), w.getModel());
        if (found.isEmpty()) {
            return List.of();
        }
        GpuState state = found.get();
        double slo = PressureModel.sloPressure(slos.get(w.getModel()), w.getTtftMs().getP99(), w.getTpotMs().getP99(),
                w.getE2eMs().getP99());
        boolean fresh = state.history(w.getModel()).observe(w, slo, settings.pressureTrigger(), settings.historyWindows());
        long now = w.getWindowEndMs();
        long windowMs = now - w.getWindowStartMs();
        // A window ending now means the windows ending one period earlier are complete: the models
        // of this GPU that had none had no requests then (see ModelHistory#skipTo).
        for (ModelHistory h : state.histories().values()) {
            if (state.placement().model(h.model).isPresent()) {
                h.skipTo(now - windowMs, windowMs, settings.historyWindows());
            }
        }
        if (!fresh || !state.cooledDown(GpuState.ANY_PLAN, settings.settleMs(), now)) {
            return List.of();
        }
        TierContext ctx = new TierContext(settings, new PressureModel(settings, slos, state.histories()), state, now,
                w.getModel());
        List<Function<TierContext, Optional<Proposal>>> tiers = List.of(AdmissionHints::propose,
                KvBudgetResizer::propose, ModelMovePlanner::propose, PartitionModePlanner::propose);
        for (int tier = 1; tier <= tiers.size(); tier++) {
            if (!state.cooledDown(Integer.toString(tier), settings.cooldownMs(tier), now)) {
                if (tier == 3) {
                    // A move is cooling down: wait for it rather than escalate to a drain.
                    break;
                }
                continue;
            }
            Optional<Proposal> proposal = tiers.get(tier - 1).apply(ctx);
            if (proposal.isPresent()) {
                PartitionPlan plan = proposal.get().toPlan(state.gpuId(), now, settings.dryRun());
                issued(state, plan, now);
                return List.of(plan);
            }
        }
        return List.of();
    }

    /** Takes in a GPU sample: the KV use of each model it names is its VRAM less its weights. */
    public void onGpuSample(GpuSample sample) {
        GpuState state = gpus.get(sample.getGpuId());
        if (state == null) {
            return;
        }
        for (GpuProcess process : sample.getProcesses()) {
            if (process.getModel() == null) {
                continue;
            }
            Optional<ModelSlot> slot = state.placement().model(process.getModel());
            if (slot.isPresent()) {
                state.history(process.getModel()).kvUsedBytes = Math.max(0, process.getVramBytes() - slot.get().weightBytes());
            }
        }
    }

    /**
     * Records that {@code plan} was carried out: the placement, priorities, KV budgets and admission
     * limits change as its actions say. Pass only the actions that took effect.
     */
    public void onPlanApplied(PartitionPlan plan) {
        GpuState state = gpus.get(plan.getGpuId());
        if (state == null) {
            throw new IllegalArgumentException("plan " + plan.getPlanId() + " is for GPU " + plan.getGpuId()
                    + ", which this rebalancer does not hold");
        }
        PlanApplier.apply(state, plan);
    }

    /** The GPU's current placement, as far as applied plans tell. */
    public GpuPlacement placement(String gpuId) {
        return state(gpuId).placement();
    }

    public GpuState state(String gpuId) {
        GpuState s = gpus.get(gpuId);
        if (s == null) {
            throw new IllegalArgumentException("no placement for GPU " + gpuId);
        }
        return s;
    }

    /** The GPU serving {@code partitionId}, or failing that the one where {@code model} is placed. */
    public Optional<GpuState> gpuOf(String partitionId, String model) {
        for (GpuState s : gpus.values()) {
            if (s.placement().partition(partitionId).isPresent()) {
                return Optional.of(s);
            }
        }
        return gpus.values().stream().filter(s -> s.placement().model(model).isPresent()).findFirst();
    }

    private static void issued(GpuState state, PartitionPlan plan, long now) {
        state.clocks().put(Integer.toString(plan.getTier()), now);
        state.clocks().put(GpuState.ANY_PLAN, now);
        for (PlanAction a : plan.getActions()) {
            if (a.getKind() == PlanActionKind.ADMISSION_LIMIT && a.getModel() != null
                    && !PlanParameters.UNLIMITED.equals(a.getParameters().get(PlanParameters.MAX_IN_FLIGHT))) {
                state.clocks().put(AdmissionHints.HINT_CLOCK + a.getModel(), now);
            }
        }
    }
}
