package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.sim.PlanParameters;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanActionKind;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.aimnext.operators.qos.rebalance.Fixtures.GPU;
import static dev.aimnext.operators.qos.rebalance.Fixtures.param;
import static dev.aimnext.operators.qos.rebalance.Fixtures.qpx;
import static dev.aimnext.operators.qos.rebalance.Fixtures.slo;
import static dev.aimnext.operators.qos.rebalance.Fixtures.slot;
import static dev.aimnext.operators.qos.rebalance.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

class AdmissionHintsTest {

    private static final GpuPlacement PLACEMENT = new GpuPlacement(GPU, "QPX", "NPS1", List.of(
            qpx("p0", slot("chat", Priority.MEDIUM, 16, 12, 4), slot("batch", Priority.LOW, 16, 4, 2)),
            qpx("p1")));

    private final Rebalancer rebalancer = new Rebalancer(RebalanceSettings.defaults(),
            List.of(slo("chat", 500, Priority.HIGH)), List.of(PLACEMENT));

    @Test
    void highModelOverItsObjectiveGetsPriorityAndItsLowNeighbourACapInFlight() {
        // A bursty neighbour: 1/s then 9/s, mean 5/s, and a median e2e of 1 s.
        assertThat(rebalancer.onWindow(window("batch", "gpu0/p0", 10_000, 1, 900))).isEmpty();
        assertThat(rebalancer.onWindow(window("batch", "gpu0/p0", 20_000, 9, 900))).isEmpty();
        List<PartitionPlan> plans = rebalancer.onWindow(window("chat", "gpu0/p0", 20_000, 2, 812));

        assertThat(plans).singleElement().satisfies(plan -> {
            assertThat(plan.getTier()).isEqualTo(1);
            assertThat(plan.getTrigger()).isEqualTo("slo-burn:model=chat ttft_p99_ms=812.0>500.0");
            assertThat(plan.getDryRun()).isTrue();
            assertThat(plan.getPlanId()).isEqualTo("gpu0@20000/t1");
            assertThat(plan.getCreatedAtMs()).isEqualTo(20_000);
            assertThat(plan.getPressureBefore()).isCloseTo(812.0 / 500, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(plan.getPressureAfter()).isLessThan(plan.getPressureBefore());
            assertThat(plan.getActions()).extracting(a -> a.getKind() + " " + a.getModel())
                    .containsExactly("SET_PRIORITY chat", "ADMISSION_LIMIT batch");
            // Mean in flight by Little's law: 5/s × 1 s = 5, capped at 1.5× that; the cap cuts the
            // 9/s peak to 7.5/s, which is why the predicted pressure drops.
            assertThat(param(plan.getActions().get(1), PlanParameters.MAX_IN_FLIGHT)).isEqualTo("8");
            assertThat(param(plan.getActions().get(0), PlanParameters.PRIORITY)).isEqualTo("high");
        });
        assertThat(rebalancer.placement(GPU)).isEqualTo(PLACEMENT);
    }

    @Test
    void aModelWithinItsObjectiveOrNotHighGetsNoHints() {
        rebalancer.onWindow(window("batch", "gpu0/p0", 10_000, 4, 5_000));
        assertThat(rebalancer.onWindow(window("chat", "gpu0/p0", 10_000, 2, 450))).isEmpty();
        assertThat(rebalancer.onWindow(window("batch", "gpu0/p0", 20_000, 4, 5_000))).isEmpty();
    }

    @Test
    void aNeighbourIsHintedOnceThenTheRebalancerMovesOn() {
        RebalanceSettings s = RebalanceSettings.defaults();
        Rebalancer r = new Rebalancer(s, List.of(slo("chat", 500, Priority.HIGH)), List.of(PLACEMENT));
        r.onWindow(window("batch", "gpu0/p0", 10_000, 4, 900));
        assertThat(r.onWindow(window("chat", "gpu0/p0", 10_000, 2, 812))).extracting(PartitionPlan::getTier)
                .containsExactly(1);
        r.onWindow(window("batch", "gpu0/p0", 20_000, 4, 900));
        r.onWindow(window("chat", "gpu0/p0", 20_000, 2, 812));
        List<PartitionPlan> plans = new java.util.ArrayList<>(r.onWindow(window("batch", "gpu0/p0", 30_000, 4, 900)));
        plans.addAll(r.onWindow(window("chat", "gpu0/p0", 30_000, 2, 812)));
        // The hint was given; the next plan escalates to a move instead of repeating it.
        assertThat(plans).extracting(PartitionPlan::getTier).containsExactly(3);
        assertThat(plans.get(0).getActions()).extracting(a -> a.getKind()).doesNotContain(PlanActionKind.ADMISSION_LIMIT);
    }
}
