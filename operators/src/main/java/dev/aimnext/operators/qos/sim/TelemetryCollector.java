package dev.aimnext.operators.qos.sim;

import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestTelemetry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A {@link TelemetryListener} that keeps everything in lists, for tests and small demos. */
public final class TelemetryCollector implements TelemetryListener {

    private final List<RequestTelemetry> requests = new ArrayList<>();
    private final List<GpuSample> samples = new ArrayList<>();
    private final List<PlanOutcome> plans = new ArrayList<>();

    @Override
    public void onRequest(RequestTelemetry telemetry) {
        requests.add(telemetry);
    }

    @Override
    public void onGpuSample(GpuSample sample) {
        samples.add(sample);
    }

    @Override
    public void onPlanApplied(PlanOutcome outcome) {
        plans.add(outcome);
    }

    public List<RequestTelemetry> requests() {
        return Collections.unmodifiableList(requests);
    }

    /** The telemetry of {@code model} only. */
    public List<RequestTelemetry> requests(String model) {
        return requests.stream().filter(r -> r.getModel().equals(model)).toList();
    }

    public List<GpuSample> samples() {
        return Collections.unmodifiableList(samples);
    }

    public List<PlanOutcome> plans() {
        return Collections.unmodifiableList(plans);
    }
}
