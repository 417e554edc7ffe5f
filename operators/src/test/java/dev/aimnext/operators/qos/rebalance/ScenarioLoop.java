package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.sim.PlanOutcome;
import dev.aimnext.operators.qos.sim.ServingSimulator;
import dev.aimnext.operators.qos.sim.SimulationConfig;
import dev.aimnext.operators.qos.sim.TelemetryCollector;
import dev.aimnext.operators.qos.sketch.LatencySketches;
import dev.aimnext.operators.qos.sketch.QosAccumulator;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.operators.qos.window.QosWindowFactory;
import dev.aimnext.operators.qos.window.QosWindowKind;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;
import dev.aimnext.schemas.event.QosWindow;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The closed loop of the scenario test, in plain Java: the simulator runs 10 s at a time; the
 * requests that finished in that window become one QoS window per (model, partition), built with the
 * QoS job's own accumulator and factory; the rebalancer reads them (and the GPU samples) and its
 * plans go back into the simulator, which reports which actions it applied, and only those are
 * passed to {@link Rebalancer#onPlanApplied}.
 */
final class ScenarioLoop {

    private static final long WINDOW_MS = QosWindowKind.TUMBLING_10S.sizeMs();

    /** What one run gives: the model's telemetry, the plans and what the simulator did with them. */
    record Run(List<RequestTelemetry> requests, List<PartitionPlan> plans, List<PlanOutcome> outcomes) {

        /** Requests of {@code model} that succeeded within {@code sloMs} TTFT ÷ all its requests. */
        double requestAttainment(String model, double sloMs) {
            List<RequestTelemetry> mine = requests.stream().filter(r -> r.getModel().equals(model)).toList();
            long met = mine.stream().filter(r -> r.getStatus() == RequestStatus.OK && r.getTtftMs() <= sloMs).count();
            return met / (double) mine.size();
        }

        /** 10 s windows whose exact p99 TTFT of {@code model} is within {@code sloMs} ÷ windows with requests. */
        double windowAttainment(String model, double sloMs) {
            Map<Long, List<Double>> byWindow = new TreeMap<>();
            for (RequestTelemetry r : requests) {
                if (r.getModel().equals(model) && r.getStatus() == RequestStatus.OK) {
                    byWindow.computeIfAbsent(r.getEventTimeMs() / WINDOW_MS, k -> new ArrayList<>()).add(r.getTtftMs());
                }
            }
            long met = byWindow.values().stream().filter(v -> p99(v) <= sloMs).count();
            return met / (double) byWindow.size();
        }

        private static double p99(List<Double> values) {
            double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(sorted);
            return sorted[Math.max(0, (int) Math.ceil(0.99 * sorted.length) - 1)];
        }
    }

    private ScenarioLoop() {}

    /** The simulation alone, placement as configured. */
    static Run staticPlacement(SimulationConfig config) {
        TelemetryCollector out = new TelemetryCollector();
        new ServingSimulator(config, out).run();
        return new Run(out.requests(), List.of(), List.of());
    }

    /** The simulation with {@code rebalancer} in the loop; its plans are applied unless dry-run. */
    static Run rebalanced(SimulationConfig config, Rebalancer rebalancer, Map<String, ModelSlo> slos) {
        TelemetryCollector out = new TelemetryCollector();
        ServingSimulator sim = new ServingSimulator(config, out);
        List<PartitionPlan> plans = new ArrayList<>();
        List<PlanOutcome> outcomes = new ArrayList<>();
        int requestsSeen = 0;
        int samplesSeen = 0;
        List<RequestTelemetry> carried = new ArrayList<>();
        for (long end = WINDOW_MS; end <= config.durationMs(); end += WINDOW_MS) {
            sim.runUntil(end);
            List<RequestTelemetry> all = out.requests();
            List<RequestTelemetry> pending = new ArrayList<>(carried);
            pending.addAll(all.subList(requestsSeen, all.size()));
            requestsSeen = all.size();
            carried = new ArrayList<>();
            // A request finishing exactly at the window end belongs to the next window.
            Map<String, QosAccumulator> windows = new TreeMap<>();
            for (RequestTelemetry r : pending) {
                if (r.getEventTimeMs() >= end) {
                    carried.add(r);
                    continue;
                }
                windows.computeIfAbsent(r.getModel() + "\n" + r.getPartitionId(),
                        k -> new QosAccumulator(LatencySketches.DEFAULT_RELATIVE_ACCURACY)).add(r, slos.get(r.getModel()));
            }
            List<GpuSample> samples = out.samples();
            for (GpuSample s : samples.subList(samplesSeen, samples.size())) {
                rebalancer.onGpuSample(s);
            }
            samplesSeen = samples.size();
            for (Map.Entry<String, QosAccumulator> e : windows.entrySet()) {
                String[] key = e.getKey().split("\n");
                QosWindow w = QosWindowFactory.fromAccumulator(key[0], key[1], QosWindowKind.TUMBLING_10S, end,
                        e.getValue(), slos.get(key[0])).window;
                for (PartitionPlan plan : rebalancer.onWindow(w)) {
                    plans.add(plan);
                    if (!plan.getDryRun()) {
                        PlanOutcome outcome = sim.apply(plan);
                        outcomes.add(outcome);
                        applied(plan, outcome).ifPresent(rebalancer::onPlanApplied);
                    }
                }
            }
        }
        return new Run(out.requests(), plans, outcomes);
    }

    /** {@code plan} with only the actions the simulator applied, if any. */
    private static java.util.Optional<PartitionPlan> applied(PartitionPlan plan, PlanOutcome outcome) {
        List<PlanAction> kept = new ArrayList<>();
        for (int i = 0; i < plan.getActions().size(); i++) {
            if (outcome.actions().get(i).applied()) {
                kept.add(plan.getActions().get(i));
            }
        }
        return kept.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(PartitionPlan.newBuilder(plan).setActions(kept).build());
    }
}
