package dev.aimnext.operators.qos.sim;

import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.RequestTelemetry;

/**
 * Where a {@link ServingSimulator} sends what it produces. Calls come on the simulating thread in
 * event-time order (telemetry and samples interleaved), as fast as the simulation runs, so an
 * implementation can append to a list, write to Kafka or feed a test harness. The records are
 * fresh objects the listener may keep.
 *
 * <p>A listener may call {@link ServingSimulator#submit(dev.aimnext.schemas.event.PartitionPlan)}
 * from any callback to close the loop; the plan takes effect after the current event, at the same
 * simulated time.
 */
public interface TelemetryListener {

    /** A request finished, timed out, was rejected or failed. */
    void onRequest(RequestTelemetry telemetry);

    /** A periodic reading of one partition. */
    void onGpuSample(GpuSample sample);

    /** A submitted plan was applied (wholly, partly or not at all; see its outcome). */
    default void onPlanApplied(PlanOutcome outcome) {
    }
}
