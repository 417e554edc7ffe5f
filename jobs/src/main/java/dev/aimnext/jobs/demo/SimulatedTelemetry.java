package dev.aimnext.jobs.demo;

import dev.aimnext.operators.qos.sim.PlanOutcome;
import dev.aimnext.operators.qos.sim.TelemetryListener;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestTelemetry;

/**
 * The simulator's events on a real clock: the {@code ServingSimulator} counts event time from 0,
 * while the QoS job's windows and the rebalancer's plan ids are in epoch milliseconds, so every
 * request's {@code eventTimeMs} and every sample's {@code sampledAtMs} is moved by {@code epochMs}
 * before it reaches the delegate.
 */
public final class SimulatedTelemetry implements TelemetryListener {

    private final long epochMs;
    private final TelemetryListener delegate;

    /** @param epochMs the epoch time of simulated time 0 */
    public SimulatedTelemetry(long epochMs, TelemetryListener delegate) {
        this.epochMs = epochMs;
        this.delegate = delegate;
    }

    @Override
    public void onRequest(RequestTelemetry telemetry) {
        telemetry.setEventTimeMs(telemetry.getEventTimeMs() + epochMs);
        delegate.onRequest(telemetry);
    }

    @Override
    public void onGpuSample(GpuSample sample) {
        sample.setSampledAtMs(sample.getSampledAtMs() + epochMs);
        delegate.onGpuSample(sample);
    }

    @Override
    public void onPlanApplied(PlanOutcome outcome) {
        delegate.onPlanApplied(outcome);
    }
}
