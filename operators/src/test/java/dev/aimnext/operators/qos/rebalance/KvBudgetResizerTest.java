package dev.aimnext.operators.qos.rebalance;

import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.slo.ModelSlo;
import dev.aimnext.schemas.event.GpuProcess;
import dev.aimnext.schemas.event.GpuSample;
import dev.aimnext.schemas.event.PartitionPlan;

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

class KvBudgetResizerTest {

    /** Two MEDIUM models fill p0; "sum" is out of KV cache, "code" has slack down to its floor. */
    private static final GpuPlacement PLACEMENT = new GpuPlacement(GPU, "QPX", "NPS1", List.of(
            qpx("p0", slot("sum", Priority.MEDIUM, 8, 8, 4), slot("code", Priority.MEDIUM, 8, 24, 20))));

    private static GpuSample sample(long sumKvUsed, long codeKvUsed) {
        return new GpuSample("node", GPU, "gpu0/p0", "QPX", "NPS1", 0L, 48 * GIB, null, List.of(
                new GpuProcess(1, "vllm", 8 * GIB + sumKvUsed, "sum"),
                new GpuProcess(2, "vllm", 8 * GIB + codeKvUsed, "code")), "sim", 0L);
    }

    private static List<PartitionPlan> run(List<ModelSlo> slos, GpuSample sample) {
        Rebalancer r = new Rebalancer(RebalanceSettings.defaults(), slos, List.of(PLACEMENT));
        r.onGpuSample(sample);
        List<PartitionPlan> plans = new ArrayList<>(r.onWindow(window("code", "gpu0/p0", 10_000, 1, 100)));
        plans.addAll(r.onWindow(window("sum", "gpu0/p0", 10_000, 1, 900)));
        return plans;
    }

    @Test
    void aKvStarvedModelTakesBudgetFromItsNeighbourButNeverBelowTheFloor() {
        // sum uses all of its 8 GiB and wants 8 / 0.8 = 10 GiB. The partition has no free memory
        // (16 + 32 = 48 GiB), so the 2 GiB come from code, whose floor (20 GiB) leaves room for it.
        List<PartitionPlan> plans = run(List.of(slo("sum", 500, Priority.MEDIUM), slo("code", 500, Priority.MEDIUM)),
                sample(8 * GIB, GIB));
        assertThat(plans).singleElement().satisfies(plan -> {
            assertThat(plan.getTier()).isEqualTo(2);
            assertThat(plan.getTrigger()).isEqualTo("kv-pressure:model=sum kv_use_ratio=1.00>0.95");
            assertThat(plan.getActions()).extracting(a -> a.getKind() + " " + a.getModel() + " "
                    + a.getParameters().get("kvBudgetBytes"))
                    .containsExactly("RESIZE_KV_BUDGET code " + 22 * GIB, "RESIZE_KV_BUDGET sum " + 10 * GIB);
            assertThat(plan.getPressureAfter()).isLessThan(plan.getPressureBefore());
        });
    }

    @Test
    void theDonorStopsAtItsKvFloorEvenWhenTheReceiverWantsMore() {
        // sum now wants 16 / 0.8 = 20 GiB, 12 more; code can give only 24 - 20 (floor) = 4.
        GpuPlacement big = new GpuPlacement(GPU, "QPX", "NPS1", List.of(
                qpx("p0", slot("sum", Priority.MEDIUM, 8, 8, 4), slot("code", Priority.MEDIUM, 8, 24, 20))));
        Rebalancer r = new Rebalancer(RebalanceSettings.defaults(),
                List.of(slo("sum", 500, Priority.MEDIUM), slo("code", 500, Priority.MEDIUM)), List.of(big));
        r.onGpuSample(sample(16 * GIB, 0));
        List<PartitionPlan> plans = r.onWindow(window("sum", "gpu0/p0", 10_000, 1, 900));
        assertThat(plans).singleElement().satisfies(plan -> assertThat(plan.getActions())
                .extracting(a -> a.getModel() + "=" + a.getParameters().get("kvBudgetBytes"))
                .containsExactly("code=" + 20 * GIB, "sum=" + 12 * GIB));
    }

    @Test
    void theReceiverNeverGrowsPastItsSloMaximumMemory() {
        ModelSlo capped = new ModelSlo("sum", 500, 0, 0, Priority.MEDIUM, 0, 17 * GIB);
        List<PartitionPlan> plans = run(List.of(capped, slo("code", 500, Priority.MEDIUM)), sample(8 * GIB, GIB));
        assertThat(plans).singleElement().satisfies(plan -> assertThat(plan.getActions())
                .extracting(a -> a.getModel() + "=" + a.getParameters().get("kvBudgetBytes"))
                .containsExactly("code=" + 23 * GIB, "sum=" + 9 * GIB));
    }

    @Test
    void aMoreImportantNeighbourIsNeverADonor() {
        List<PartitionPlan> plans = run(List.of(slo("sum", 500, Priority.MEDIUM), slo("code", 500, Priority.HIGH)),
                sample(8 * GIB, GIB));
        assertThat(plans).noneMatch(p -> p.getTier() == 2);
    }

    @Test
    void noResizeWhileTheModelMeetsItsObjective() {
        Rebalancer r = new Rebalancer(RebalanceSettings.defaults(),
                List.of(slo("sum", 500, Priority.MEDIUM), slo("code", 500, Priority.MEDIUM)), List.of(PLACEMENT));
        r.onGpuSample(sample(8 * GIB, GIB));
        assertThat(r.onWindow(window("sum", "gpu0/p0", 10_000, 1, 300))).isEmpty();
    }
}
