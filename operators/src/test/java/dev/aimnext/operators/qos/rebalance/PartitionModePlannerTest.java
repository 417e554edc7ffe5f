package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.sim.PlanParameters;
import dev.aimnext.schemas.event.PartitionPlan;
import dev.aimnext.schemas.event.PlanAction;
import dev.aimnext.schemas.event.PlanActionKind;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.aimnext.operators.qos.rebalance.Fixtures.GIB;
import static dev.aimnext.operators.qos.rebalance.Fixtures.GPU;
import static dev.aimnext.operators.qos.rebalance.Fixtures.qpx;
import static dev.aimnext.operators.qos.rebalance.Fixtures.slo;
import static dev.aimnext.operators.qos.rebalance.Fixtures.slot;
import static dev.aimnext.operators.qos.rebalance.Fixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

class PartitionModePlannerTest {

    /** Every QPX partition is full, so no single move fits; only a re-partition can separate chat and batch. */
    private static final GpuPlacement FULL = new GpuPlacement(GPU, "QPX", "NPS4", List.of(
            qpx("p0", slot("chat", Priority.HIGH, 16, 12, 4), slot("batch", Priority.LOW, 16, 4, 2)),
            qpx("p1", slot("sum", Priority.MEDIUM, 16, 32, 8)),
            qpx("p2", slot("code", Priority.LOW, 16, 32, 8)),
            qpx("p3", slot("embed", Priority.LOW, 16, 32, 8))));

    private static List<PartitionPlan> run(RebalanceSettings s) {
        Rebalancer r = new Rebalancer(s, List.of(slo("chat", 500, Priority.HIGH)), List.of(FULL));
        List<PartitionPlan> plans = new ArrayList<>();
        for (long t = 10_000; t <= 60_000; t += 10_000) {
            for (String m : List.of("sum", "code", "embed")) {
                plans.addAll(r.onWindow(window(m, FULL.partitionOf(m).orElseThrow().partitionId(), t, 0.5, 100)));
            }
            plans.addAll(r.onWindow(window("batch", "gpu0/p0", t, t % 20_000 == 0 ? 4 : 0.2, 100)));
            plans.addAll(r.onWindow(window("chat", "gpu0/p0", t, 2, 900)));
        }
        return plans;
    }

    @Test
    void whenNoMoveFitsAModeChangeIsProposedAndFlaggedAsNeedingADrain() {
        List<PartitionPlan> plans = run(RebalanceSettings.defaults());
        assertThat(plans).extracting(PartitionPlan::getTier).containsExactly(1, 4);
        PartitionPlan plan = plans.get(1);
        assertThat(plan.getDryRun()).isTrue();
        PlanAction change = plan.getActions().get(0);
        assertThat(change.getKind()).isEqualTo(PlanActionKind.CHANGE_PARTITION_MODE);
        assertThat(change.getParameters()).containsEntry(PlanActions.REQUIRES_DRAIN, "true")
                .containsKeys(PlanParameters.COMPUTE_MODE, PlanParameters.MEMORY_MODE, PlanActions.PARTITIONS);
        // Every model is placed into the new layout, and chat no longer shares with the bursty batch.
        assertThat(plan.getActions().subList(1, plan.getActions().size())).extracting(PlanAction::getModel)
                .containsExactlyInAnyOrder("chat", "batch", "sum", "code", "embed");
        String chatTo = to(plan, "chat");
        assertThat(to(plan, "batch")).isNotEqualTo(chatTo);
        assertThat(plan.getPressureAfter()).isLessThan(plan.getPressureBefore());
        // NPS4 needs four compute partitions or more.
        String mode = change.getParameters().get(PlanParameters.COMPUTE_MODE);
        String memory = change.getParameters().get(PlanParameters.MEMORY_MODE);
        assertThat(memory).isEqualTo(List.of("QPX", "CPX").contains(mode) ? "NPS4" : "NPS1");
        assertThat(chatTo).startsWith("gpu0/" + mode.toLowerCase());
    }

    @Test
    void anAppliedModeChangeRebuildsThePartitionsWithEveryModelPlaced() {
        List<PartitionPlan> plans = run(RebalanceSettings.defaults());
        Rebalancer r = new Rebalancer(RebalanceSettings.defaults(), List.of(slo("chat", 500, Priority.HIGH)), List.of(FULL));
        r.onPlanApplied(plans.get(1));
        GpuPlacement after = r.placement(GPU);
        int n = Integer.parseInt(plans.get(1).getActions().get(0).getParameters().get(PlanActions.PARTITIONS));
        assertThat(after.partitions()).hasSize(n).allSatisfy(p -> {
            assertThat(p.memoryBytes()).isEqualTo(192 * GIB / n);
            assertThat(p.computeShare()).isEqualTo(1.0 / n);
            assertThat(p.freeBytes()).isNotNegative();
        });
        assertThat(after.partitions().stream().flatMap(p -> p.models().stream()).map(ModelSlot::model))
                .containsExactlyInAnyOrder("chat", "batch", "sum", "code", "embed");
        assertThat(after.partitionOf("chat").map(PartitionSlot::partitionId))
                .isNotEqualTo(after.partitionOf("batch").map(PartitionSlot::partitionId));
    }

    @Test
    void noModeChangeForAGpuWithoutHardwarePartitions() {
        GpuPlacement none = new GpuPlacement(GPU, "NONE", "NONE", List.of(new PartitionSlot("gpu0/all", 80 * GIB, 1.0,
                List.of(slot("chat", Priority.HIGH, 16, 12, 4), slot("batch", Priority.LOW, 16, 40, 2)))));
        assertThat(PartitionModePlanner.mode(none)).isEmpty();
    }

    private static String to(PartitionPlan plan, String model) {
        return plan.getActions().stream().filter(a -> model.equals(a.getModel())).findFirst().orElseThrow().getToPartition();
    }
}
