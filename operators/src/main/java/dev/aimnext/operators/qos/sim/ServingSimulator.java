package dev.aimnext.operators.qos.sim;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.sim.internal.PlanActuator;
import dev.aimnext.operators.qos.sim.internal.ServingState;
import dev.aimnext.schemas.event.PartitionPlan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A deterministic discrete-event simulator of LLM models served side by side on one partitioned
 * GPU. It produces {@code RequestTelemetry} and {@code GpuSample} events in event-time order, much
 * faster than real time, and applies {@link PartitionPlan}s as they would be actuated, so a
 * rebalancing policy can be scored in a closed loop against static placement.
 *
 * <p>What it models, per model (see {@code ModelEngine} for the step rules):
 * <ul>
 *   <li>Poisson arrivals shaped by bursts and a diurnal sinusoid ({@link ArrivalPattern});</li>
 *   <li>continuous batching with prefill and decode steps whose times follow the
 *       {@link ServingProfile} divided by the partition's compute share;</li>
 *   <li>a KV budget with preemption of the newest running request when it runs out;</li>
 *   <li>interference between models sharing a partition ({@link InterferenceModel}); models in
 *       different partitions never interfere;</li>
 *   <li>an admission limit (REJECTED), a request timeout while queued (TIMEOUT), and requests whose
 *       context cannot fit the KV budget at all (ERROR).</li>
 * </ul>
 * GpuSamples come every {@link SimulationConfig#gpuSampleIntervalMs()} per partition, with weights
 * plus KV in use against the partition's memory. Requests still in flight when a run stops are not
 * reported.
 *
 * <p>The same config and seed give the same events, call for call; traffic (arrival times and
 * lengths) does not depend on plans, so a static run and a rebalanced run of one seed see the same
 * requests. Not thread-safe: drive it from one thread.
 */
public final class ServingSimulator {

    private final SimulationConfig config;
    private final TelemetryListener listener;
    private final ServingState state;
    private final PlanActuator actuator;
    private final PriorityQueue<ScheduledPlan> plans = new PriorityQueue<>();
    private final List<PlanOutcome> outcomes = new ArrayList<>();
    private long planSeq;
    private double nowMs;
    private boolean dispatching;

    public ServingSimulator(SimulationConfig config, TelemetryListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.state = new ServingState(config, listener);
        this.actuator = new PlanActuator(state);
    }

    /** Runs until {@link SimulationConfig#durationMs()}. */
    public void run() {
        runUntil(config.durationMs());
    }

    /**
     * Processes every event up to and including simulated time {@code untilMs}; a later call goes
     * on from there, so a caller can alternate running and submitting plans.
     */
    public void runUntil(long untilMs) {
        if (dispatching) {
            throw new IllegalStateException("runUntil was called from a listener; submit plans there instead");
        }
        dispatching = true;
        try {
            while (true) {
                double planAt = plans.isEmpty() ? Double.POSITIVE_INFINITY : plans.peek().atMs;
                double eventAt = state.nextEventMs();
                double t = Math.min(planAt, eventAt);
                if (t > untilMs) {
                    break;
                }
                nowMs = t;
                if (planAt <= eventAt) {
                    applyNow(plans.poll().plan);
                } else {
                    state.dispatch(t);
                }
            }
            nowMs = Math.max(nowMs, untilMs);
        } finally {
            dispatching = false;
        }
    }

    /**
     * Applies {@code plan} at the current simulated time and returns what happened. Not callable
     * from a listener callback, where {@link #submit(PartitionPlan)} is the way.
     */
    public PlanOutcome apply(PartitionPlan plan) {
        if (dispatching) {
            throw new IllegalStateException("apply was called from a listener; use submit, which applies after the event");
        }
        return applyNow(plan);
    }

    /** Applies {@code plan} at the current simulated time, after the event being processed if any. */
    public void submit(PartitionPlan plan) {
        schedule(plan, nowMs);
    }

    /** Applies {@code plan} at simulated time {@code atMs} (at once if that has passed). */
    public void submit(PartitionPlan plan, long atMs) {
        schedule(plan, Math.max(atMs, nowMs));
    }

    private void schedule(PartitionPlan plan, double atMs) {
        Objects.requireNonNull(plan, "plan");
        plans.add(new ScheduledPlan(atMs, planSeq++, plan));
    }

    /** The simulated time reached, in ms. */
    public long nowMs() {
        return (long) Math.floor(nowMs);
    }

    /** Where the models are now, with the priorities and KV budgets plans have set. */
    public GpuPlacement placement() {
        return state.placement();
    }

    /** Counters of {@code model} so far. */
    public ModelStats stats(String model) {
        return state.stats(model);
    }

    /** Telemetry events and GPU samples handed to the listener so far. */
    public long eventsEmitted() {
        return state.eventsEmitted();
    }

    /** What was done with each plan so far, in the order applied. */
    public List<PlanOutcome> planOutcomes() {
        return Collections.unmodifiableList(outcomes);
    }

    public SimulationConfig config() {
        return config;
    }

    private PlanOutcome applyNow(PartitionPlan plan) {
        PlanOutcome outcome = actuator.apply(plan, nowMs);
        outcomes.add(outcome);
        listener.onPlanApplied(outcome);
        return outcome;
    }

    private record ScheduledPlan(double atMs, long seq, PartitionPlan plan) implements Comparable<ScheduledPlan> {
        @Override
        public int compareTo(ScheduledPlan o) {
            int byTime = Double.compare(atMs, o.atMs);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }
}
