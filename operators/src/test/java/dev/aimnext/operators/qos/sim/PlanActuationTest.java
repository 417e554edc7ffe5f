package dev.aimnext.operators.qos.sim;

import static dev.aimnext.operators.qos.sim.SimFixtures.action;
import static dev.aimnext.operators.qos.sim.SimFixtures.move;
import static dev.aimnext.operators.qos.sim.SimFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanActionKind;
import dev.aimnext.schemas.event.RequestPriority;
import dev.aimnext.schemas.event.RequestStatus;
import dev.aimnext.schemas.event.RequestTelemetry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

class PlanActuationTest {

    private static final long MOVE_AT = 60_000;
    /** The move's reload plus time for the backlog it leaves to drain. */
    private static final long SETTLED_AT = MOVE_AT + 30_000;

    @Test
    void movingAwayFromTheBurstyNeighbourRemovesItsInterference() {
        SimulationConfig config = Scenarios.priorityWithBurstyNeighbour(1);
        List<RequestTelemetry> staticRun = SimFixtures.run(config).requests(Scenarios.CHAT);

        TelemetryCollector out = new TelemetryCollector();
        ServingSimulator sim = new ServingSimulator(config, out);
        sim.runUntil(MOVE_AT);
        PlanOutcome outcome = sim.apply(plan("move-chat", move(Scenarios.CHAT, Scenarios.P0, Scenarios.P2)));
        sim.run();
        List<RequestTelemetry> moved = out.requests(Scenarios.CHAT);

        assertThat(outcome.fullyApplied()).isTrue();
        assertThat(outcome.appliedAtMs()).isEqualTo(MOVE_AT);
        assertThat(sim.placement().partitionOf(Scenarios.CHAT).orElseThrow().partitionId()).isEqualTo(Scenarios.P2);
        // Nothing finishes while the model reloads; afterwards it reports from its new partition.
        assertThat(moved).noneMatch(t -> t.getEventTimeMs() > MOVE_AT && t.getEventTimeMs() < MOVE_AT + 10_000);
        assertThat(moved).filteredOn(t -> t.getEventTimeMs() >= MOVE_AT + 10_000)
                .isNotEmpty().allSatisfy(t -> assertThat(t.getPartitionId()).isEqualTo(Scenarios.P2));
        // Requests waiting through the reload pay for it in TTFT ...
        assertThat(TtftWindows.quantile(moved, 0.99, MOVE_AT, SETTLED_AT)).isGreaterThan(5_000);
        // ... and then the chat model runs as fast as without a neighbour.
        double movedP99 = TtftWindows.quantile(moved, 0.99, SETTLED_AT, Long.MAX_VALUE);
        double staticP99 = TtftWindows.quantile(staticRun, 0.99, SETTLED_AT, Long.MAX_VALUE);
        assertThat(movedP99).isLessThan(0.7 * staticP99);
        assertThat(TtftWindows.missedWindows(moved, Scenarios.CHAT_TTFT_P99_SLO_MS, SETTLED_AT))
                .isLessThan(TtftWindows.missedWindows(staticRun, Scenarios.CHAT_TTFT_P99_SLO_MS, SETTLED_AT) / 3);

        GpuSample p2 = out.samples().stream()
                .filter(s -> s.getPartitionId().equals(Scenarios.P2) && s.getSampledAtMs() == MOVE_AT + 1_000).findFirst()
                .orElseThrow();
        assertThat(p2.getProcesses()).extracting(p -> p.getModel()).containsExactly(Scenarios.CHAT);
        assertThat(p2.getVramUsedBytes()).isEqualTo(16L << 30); // weights loading, no KV in use yet
    }

    @Test
    void aListenerCanCloseTheLoopBySubmittingPlans() {
        ServingSimulator[] sim = new ServingSimulator[1];
        TelemetryCollector out = new TelemetryCollector();
        TelemetryListener rebalancer = new TelemetryListener() {
            @Override
            public void onRequest(RequestTelemetry telemetry) {
                out.onRequest(telemetry);
            }

            @Override
            public void onGpuSample(GpuSample sample) {
                out.onGpuSample(sample);
                if (sample.getSampledAtMs() == 30_000 && sample.getPartitionId().equals(Scenarios.P0)) {
                    sim[0].submit(plan("from-listener", move(Scenarios.BATCH, Scenarios.P0, Scenarios.P3)));
                }
            }

            @Override
            public void onPlanApplied(PlanOutcome outcome) {
                out.onPlanApplied(outcome);
            }
        };
        sim[0] = new ServingSimulator(Scenarios.priorityWithBurstyNeighbour(4), rebalancer);
        sim[0].run();
        assertThat(out.plans()).singleElement().satisfies(o -> {
            assertThat(o.appliedAtMs()).isEqualTo(30_000);
            assertThat(o.fullyApplied()).isTrue();
        });
        assertThat(sim[0].planOutcomes()).isEqualTo(out.plans());
        assertThat(sim[0].placement().partition(Scenarios.P3).orElseThrow().models()).extracting(m -> m.model())
                .containsExactly(Scenarios.CODE, Scenarios.BATCH);
        assertThatThrownBy(() -> {
            ServingSimulator inner = new ServingSimulator(Scenarios.priorityWithBurstyNeighbour(4), new TelemetryListener() {
                @Override
                public void onRequest(RequestTelemetry telemetry) {
                }

                @Override
                public void onGpuSample(GpuSample sample) {
                    sim[0].apply(plan("too-soon"));
                }
            });
            sim[0] = inner;
            inner.run();
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("use submit");
    }

    @Test
    void admissionLimitRejectsArrivalsPastItAndCanBeLifted() {
        TelemetryCollector out = new TelemetryCollector();
        ServingSimulator sim = new ServingSimulator(Scenarios.priorityWithBurstyNeighbour(2), out);
        sim.runUntil(100_000);
        sim.apply(plan("shed", action(PlanActionKind.ADMISSION_LIMIT, Scenarios.BATCH, Map.of(PlanParameters.MAX_IN_FLIGHT, "0"))));
        sim.runUntil(200_000);
        sim.apply(plan("lift", action(PlanActionKind.ADMISSION_LIMIT, Scenarios.BATCH,
                Map.of(PlanParameters.MAX_IN_FLIGHT, PlanParameters.UNLIMITED))));
        sim.run();
        List<RequestTelemetry> batch = out.requests(Scenarios.BATCH);
        List<RequestTelemetry> rejected = batch.stream().filter(t -> t.getStatus() == RequestStatus.REJECTED).toList();
        assertThat(rejected).isNotEmpty().allSatisfy(t -> {
            assertThat(t.getEventTimeMs()).isBetween(100_000L, 200_000L);
            assertThat(t.getE2eMs()).isZero();
            assertThat(t.getCompletionTokens()).isZero();
        });
        assertThat(sim.stats(Scenarios.BATCH).rejected()).isEqualTo(rejected.size());
        assertThat(batch).anyMatch(t -> t.getStatus() == RequestStatus.OK && t.getEventTimeMs() > 220_000);
    }

    @Test
    void setPriorityChangesPlacementAndTelemetry() {
        TelemetryCollector out = new TelemetryCollector();
        ServingSimulator sim = new ServingSimulator(Scenarios.priorityWithBurstyNeighbour(2), out);
        sim.runUntil(100_000);
        PlanOutcome o = sim.apply(plan("prio", action(PlanActionKind.SET_PRIORITY, Scenarios.BATCH,
                Map.of(PlanParameters.PRIORITY, "high"))));
        sim.run();
        assertThat(o.fullyApplied()).isTrue();
        assertThat(sim.placement().model(Scenarios.BATCH).orElseThrow().priority().name()).isEqualTo("HIGH");
        assertThat(out.requests(Scenarios.BATCH)).filteredOn(t -> t.getEventTimeMs() > 100_000).isNotEmpty()
                .allSatisfy(t -> assertThat(t.getPriority()).isEqualTo(RequestPriority.HIGH));
    }

    @Test
    void plansThatCannotApplyAreRefusedWithANoteAndChangeNothing() {
        ServingSimulator sim = new ServingSimulator(Scenarios.priorityWithBurstyNeighbour(1), new TelemetryCollector());
        var before = sim.placement();
        PlanOutcome o = sim.apply(plan("bad",
                action(PlanActionKind.CHANGE_PARTITION_MODE, null, Map.of(PlanParameters.COMPUTE_MODE, "CPX")),
                move(Scenarios.SUMMARIZE, Scenarios.P1, Scenarios.P0),
                move(Scenarios.CHAT, Scenarios.P1, Scenarios.P2),
                move(Scenarios.CHAT, Scenarios.P0, "gpu0/p9"),
                action(PlanActionKind.SET_PRIORITY, "no-such-model", Map.of(PlanParameters.PRIORITY, "low")),
                action(PlanActionKind.SET_PRIORITY, Scenarios.CHAT, Map.of(PlanParameters.PRIORITY, "urgent")),
                action(PlanActionKind.ADMISSION_LIMIT, Scenarios.CHAT, Map.of(PlanParameters.MAX_IN_FLIGHT, "-3"))));
        assertThat(o.actions()).extracting(PlanOutcome.ActionOutcome::applied).containsOnly(false);
        assertThat(o.actions()).extracting(PlanOutcome.ActionOutcome::note).satisfiesExactly(
                n -> assertThat(n).contains("needs a drain").contains("CPX"),
                n -> assertThat(n).contains("needs").contains("free"),
                n -> assertThat(n).contains("is in gpu0/p0, not gpu0/p1"),
                n -> assertThat(n).contains("no partition gpu0/p9"),
                n -> assertThat(n).contains("no-such-model is not simulated"),
                n -> assertThat(n).contains("unknown priority 'urgent'"),
                n -> assertThat(n).contains("'maxInFlight' must be >= 0"));
        assertThat(sim.placement()).isEqualTo(before);

        PartitionPlan dryRun = plan("dry", move(Scenarios.CHAT, Scenarios.P0, Scenarios.P2));
        dryRun.setDryRun(true);
        assertThat(sim.apply(dryRun).actions().get(0).note()).contains("dry run");
        PartitionPlan otherGpu = plan("other", move(Scenarios.CHAT, Scenarios.P0, Scenarios.P2));
        otherGpu.setGpuId("gpu7");
        assertThat(sim.apply(otherGpu).actions().get(0).note()).contains("gpu7");
        assertThat(sim.placement()).isEqualTo(before);
    }

    @Test
    void aMoveCanSetTheKvBudgetAndDowntimeInItsTarget() {
        TelemetryCollector out = new TelemetryCollector();
        ServingSimulator sim = new ServingSimulator(Scenarios.priorityWithBurstyNeighbour(1), out);
        sim.runUntil(50_000);
        var action = move(Scenarios.CHAT, Scenarios.P0, Scenarios.P2);
        action.setParameters(Map.of(PlanParameters.KV_BUDGET_BYTES, Long.toString(30L << 30), PlanParameters.DOWNTIME_MS, "2000"));
        PlanOutcome o = sim.apply(plan("move", action));
        sim.runUntil(60_000);
        assertThat(o.actions().get(0).note()).contains("offline for 2000 ms");
        assertThat(sim.placement().model(Scenarios.CHAT).orElseThrow().kvBudgetBytes()).isEqualTo(30L << 30);
        assertThat(out.requests(Scenarios.CHAT)).anyMatch(t -> t.getEventTimeMs() > 52_000 && t.getEventTimeMs() < 60_000);
    }
}
