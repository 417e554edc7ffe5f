package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;
import dev.aimnext.schemas.event.QosWindow;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.aimnext.operators.qos.rebalance.Fixtures.GIB;
import static dev.aimnext.operators.qos.rebalance.Fixtures.GPU;
import static dev.aimnext.operators.qos.rebalance.Fixtures.qpx;
import static dev.aimnext.operators.qos.rebalance.Fixtures.slo;
import static dev.aimnext.operators.qos.rebalance.Fixtures.slot;
import static dev.aimnext.operators.qos.rebalance.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanApplierTest {

    private static final GpuPlacement PLACEMENT = new GpuPlacement(GPU, "QPX", "NPS1", List.of(
            qpx("p0", slot("chat", Priority.MEDIUM, 16, 12, 4), slot("batch", Priority.LOW, 16, 4, 2)), qpx("p1")));

    private static PartitionPlan plan(PlanAction... actions) {
        return new Proposal(3, Trigger.kvPressure("chat", 1, 0.95), List.of(actions), 1, 0.5, PLACEMENT)
                .toPlan(GPU, 10_000, false);
    }

    private final Rebalancer rebalancer = new Rebalancer(RebalanceSettings.defaults(),
            List.of(slo("chat", 500, Priority.HIGH)), List.of(PLACEMENT));

    @Test
    void appliedActionsChangePriorityBudgetsPlacementAndLimits() {
        rebalancer.onPlanApplied(plan(PlanActions.setPriority("chat", Priority.HIGH),
                PlanActions.resizeKvBudget("batch", "gpu0/p0", 3 * GIB),
                PlanActions.resizeKvBudget("chat", "gpu0/p0", 13 * GIB),
                PlanActions.admissionLimit("batch", 3)));
        GpuPlacement p = rebalancer.placement(GPU);
        assertThat(p.model("chat")).contains(slot("chat", Priority.HIGH, 16, 13, 4));
        assertThat(p.model("batch").orElseThrow().kvBudgetBytes()).isEqualTo(3 * GIB);
        assertThat(rebalancer.state(GPU).admissionLimits()).containsEntry("batch", 3.0);

        rebalancer.onPlanApplied(plan(PlanActions.moveModel("batch", "gpu0/p0", "gpu0/p1", 2 * GIB)));
        p = rebalancer.placement(GPU);
        assertThat(p.partitionOf("batch").orElseThrow().partitionId()).isEqualTo("gpu0/p1");
        assertThat(p.model("batch").orElseThrow().kvBudgetBytes()).isEqualTo(2 * GIB);
        // Its limit protected chat, whom it has left.
        assertThat(rebalancer.state(GPU).admissionLimits()).doesNotContainKey("batch");
    }

    @Test
    void aPlanForAModelThatIsNotPlacedIsRejectedWithItsId() {
        assertThatThrownBy(() -> rebalancer.onPlanApplied(plan(PlanActions.resizeKvBudget("nope", "gpu0/p0", GIB))))
                .hasMessage("plan gpu0@10000/t3: model nope is not placed on gpu0");
        assertThatThrownBy(() -> rebalancer.onPlanApplied(plan(PlanActions.resizeKvBudget("chat", "gpu0/p0", GIB))))
                .hasMessageContaining("kv floor <= kv budget");
    }

    @Test
    void plansAreDryRunUnlessTheSettingsSayOtherwise() {
        assertThat(RebalanceSettings.defaults().dryRun()).isTrue();
        Rebalancer live = new Rebalancer(RebalanceSettings.defaults().withDryRun(false),
                List.of(slo("chat", 500, Priority.HIGH)), List.of(PLACEMENT));
        live.onWindow(window("batch", "gpu0/p0", 10_000, 1, 100));
        assertThat(live.onWindow(window("chat", "gpu0/p0", 10_000, 2, 800)))
                .singleElement().extracting(PartitionPlan::getDryRun).isEqualTo(false);
        // Proposing alone never changes the placement; only onPlanApplied does.
        assertThat(live.placement(GPU)).isEqualTo(PLACEMENT);
    }

    @Test
    void windowsOfAnotherKindOrOfAnUnknownModelAreIgnored() {
        QosWindow sliding = QosWindow.newBuilder(window("chat", "gpu0/p0", 60_000, 2, 5_000)).setWindowKind("sliding-1m").build();
        assertThat(rebalancer.onWindow(sliding)).isEmpty();
        assertThat(rebalancer.state(GPU).histories()).isEmpty();
        assertThat(rebalancer.onWindow(window("other", "gpu9/p0", 10_000, 2, 5_000))).isEmpty();
    }

    @Test
    void flinkOptionsMapOntoTheSettings() {
        assertThat(RebalanceOptions.settings(new Configuration())).isEqualTo(RebalanceSettings.defaults());
        Configuration c = new Configuration();
        c.set(RebalanceOptions.TAU, 0.3);
        c.set(RebalanceOptions.DRY_RUN, false);
        c.set(RebalanceOptions.MOVE_COOLDOWN, Duration.ofMinutes(5));
        RebalanceSettings s = RebalanceOptions.settings(c);
        assertThat(s.tau()).isEqualTo(0.3);
        assertThat(s.dryRun()).isFalse();
        assertThat(s.moveCooldownMs()).isEqualTo(300_000);
        c.set(RebalanceOptions.TAU, 1.5);
        assertThatThrownBy(() -> RebalanceOptions.settings(c)).hasMessageContaining("tau is a relative pressure gain");
    }
}
