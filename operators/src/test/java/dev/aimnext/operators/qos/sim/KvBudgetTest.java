package dev.aimnext.operators.qos.sim;

import static dev.aimnext.operators.qos.sim.SimFixtures.GIB;
import static dev.aimnext.operators.qos.sim.SimFixtures.action;
import static dev.aimnext.operators.qos.sim.SimFixtures.chat;
import static dev.aimnext.operators.qos.sim.SimFixtures.gpu;
import static dev.aimnext.operators.qos.sim.SimFixtures.partition;
import static dev.aimnext.operators.qos.sim.SimFixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PlanActionKind;
import dev.aimnext.schemas.event.RequestStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;

class KvBudgetTest {

    /** 4 req/s of ~400 + ~100 tokens on a whole GPU: a 256 MiB budget (2,048 tokens at 128 KiB) holds about 4 of them. */
    private static SimulationConfig withKvBudget(long kvBytes) {
        return SimulationConfig.builder(gpu(partition("gpu0/p0", 1.0, kvBytes, "m")))
                .workload(chat("m", ArrivalPattern.poisson(4))).durationMs(120_000).seed(3).build();
    }

    private static Map<String, String> budget(long bytes) {
        return Map.of(PlanParameters.KV_BUDGET_BYTES, Long.toString(bytes));
    }

    @Test
    void aTinyKvBudgetPreemptsAndAGenerousOneDoesNot() {
        TelemetryCollector tinyOut = new TelemetryCollector();
        ServingSimulator tiny = new ServingSimulator(withKvBudget(256L << 20), tinyOut); // 2,048 tokens
        tiny.run();
        ServingSimulator generous = new ServingSimulator(withKvBudget(16 * GIB), new TelemetryCollector());
        generous.run();

        assertThat(tiny.stats("m").preemptions()).isGreaterThan(50);
        assertThat(generous.stats("m").preemptions()).isZero();
        // Preempted requests are prefilled again and still finish.
        assertThat(tiny.stats("m").completed()).isGreaterThan(tiny.stats("m").arrivals() / 2);
        for (GpuSample s : tinyOut.samples()) {
            assertThat(s.getVramUsedBytes()).isLessThanOrEqualTo(16 * GIB + (256L << 20));
        }
    }

    @Test
    void growingTheBudgetStopsPreemptionAndShrinkingItStartsIt() {
        ServingSimulator sim = new ServingSimulator(withKvBudget(256L << 20), new TelemetryCollector());
        sim.runUntil(60_000);
        long before = sim.stats("m").preemptions();
        assertThat(before).isPositive();
        PlanOutcome grown = sim.apply(plan("grow", action(PlanActionKind.RESIZE_KV_BUDGET, "m", budget(16 * GIB))));
        assertThat(grown.fullyApplied()).isTrue();
        assertThat(sim.placement().model("m").orElseThrow().kvBudgetBytes()).isEqualTo(16 * GIB);
        sim.run();
        assertThat(sim.stats("m").preemptions()).isEqualTo(before);

        ServingSimulator roomy = new ServingSimulator(withKvBudget(16 * GIB), new TelemetryCollector());
        roomy.runUntil(60_000);
        assertThat(roomy.stats("m").preemptions()).isZero();
        roomy.apply(plan("shrink", action(PlanActionKind.RESIZE_KV_BUDGET, "m", budget(256L << 20))));
        roomy.run();
        assertThat(roomy.stats("m").preemptions()).isPositive();
    }

    @Test
    void aBudgetPastThePartitionsMemoryOrUnderTheFloorIsRefused() {
        ServingSimulator sim = new ServingSimulator(withKvBudget(GIB), new TelemetryCollector());
        PlanOutcome tooBig = sim.apply(plan("big", action(PlanActionKind.RESIZE_KV_BUDGET, "m", budget(500 * GIB))));
        assertThat(tooBig.fullyApplied()).isFalse();
        assertThat(tooBig.actions().get(0).note()).contains("refused").contains("gpu0/p0");
        PlanOutcome missing = sim.apply(plan("none", action(PlanActionKind.RESIZE_KV_BUDGET, "m", Map.of())));
        assertThat(missing.actions().get(0).note()).contains("'kvBudgetBytes' is missing");
        assertThat(sim.placement().model("m").orElseThrow().kvBudgetBytes()).isEqualTo(GIB);
    }

    @Test
    void onlyARequestWhoseContextOutgrowsTheWholeBudgetFails() {
        TelemetryCollector out = SimFixtures.run(withKvBudget(256L << 20));
        // 2,048 tokens of budget: a request fails only once prompt + output (+1 for the next token) exceeds it.
        assertThat(out.requests()).filteredOn(t -> t.getStatus() == RequestStatus.ERROR)
                .allSatisfy(t -> assertThat(t.getPromptTokens() + t.getCompletionTokens() + 1).isGreaterThan(2_048));
    }
}
