package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.qos.placement.GpuPlacement;
import dev.aimnext.operators.qos.placement.ModelSlot;
import dev.aimnext.operators.qos.placement.PartitionSlot;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.plan.hardware.GpuModel;
import dev.aimnext.operators.qos.plan.hardware.ModeSupport;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.aimnext.operators.qos.plan.ModelConfigs.LLAMA_70B;
import static dev.aimnext.operators.qos.plan.ModelConfigs.LLAMA_8B;
import static dev.aimnext.operators.qos.plan.ModelConfigs.MIXTRAL;
import static dev.aimnext.operators.qos.plan.ModelConfigs.QWEN_32B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/** Mode choice, placement and rejections with real model shapes on MI300X and MI355X. */
class PartitionPlannerTest {

    private static final long GIB = 1L << 30;

    private final PartitionPlanner planner = new PartitionPlanner(PlanOptions.DEFAULT);

    private static ModelDemand llama8b(String name, Priority priority) {
        return ModelConfigs.demand(name, LLAMA_8B, WeightDtype.BF16, KvFloor.ofSequences(8192, 4), priority);
    }

    private static ModelDemand qwen32b(Priority priority) {
        return ModelConfigs.demand("qwen-32b", QWEN_32B, WeightDtype.BF16, KvFloor.ofSequences(8192, 2), priority);
    }

    private static ModelDemand mixtral(Priority priority) {
        return ModelConfigs.demand("mixtral", MIXTRAL, WeightDtype.BF16, KvFloor.ofSequences(8192, 2), priority);
    }

    private static ModelDemand llama70bFp16(Priority priority) {
        return ModelConfigs.demand("llama-70b", LLAMA_70B, WeightDtype.FP16, null, priority);
    }

    @Test
    void choosesSpxForMixtralAndDpxToKeepTheHighModelApartFromQwen() {
        List<ModelDemand> models = List.of(llama8b("llama-8b", Priority.HIGH), qwen32b(Priority.MEDIUM),
                mixtral(Priority.LOW));

        PlacementPlan plan = planner.plan(models, List.of(GpuNode.of(GpuModel.MI300X, 2)));

        assertThat(plan.rejections()).isEmpty();
        GpuPlacement gpu0 = plan.gpus().get(0);
        GpuPlacement gpu1 = plan.gpus().get(1);
        // Mixtral (87.0 GiB + 2 GiB) is over a DPX partition's 86.4 usable GiB, so it needs SPX.
        assertThat(gpu0.computeMode() + "+" + gpu0.memoryMode()).isEqualTo("SPX+NPS1");
        assertThat(names(gpu0.partitions().get(0))).containsExactly("mixtral");
        assertThat(gpu1.computeMode() + "+" + gpu1.memoryMode()).isEqualTo("DPX+NPS1");
        assertThat(names(gpu1.partitions().get(0))).containsExactly("qwen-32b");
        assertThat(names(gpu1.partitions().get(1))).containsExactly("llama-8b");
        assertThat(gpu1.partitions().get(1).partitionId()).isEqualTo("gpu1/p1");
        assertThat(gpu1.partitions().get(1).computeShare()).isEqualTo(0.5);
        // Qwen's 61.0 + 4.0 GiB over a 96 GiB partition is the highest pressure.
        assertThat(plan.maxPressure()).isCloseTo(65.03 / 96, offset(0.001));
        assertFits(plan);
    }

    @Test
    void validatedModesOnlyGiveSpxAndTheHighModelStillItsOwnGpu() {
        List<ModelDemand> models = List.of(llama8b("llama-8b", Priority.HIGH), qwen32b(Priority.MEDIUM),
                mixtral(Priority.LOW));

        PlacementPlan plan = new PartitionPlanner(new PlanOptions(0.9, ModeSupport.VALIDATED))
                .plan(models, List.of(GpuNode.of(GpuModel.MI300X, 2)));

        // DPX+NPS2 would not hold Mixtral and a node has one memory mode, so both GPUs stay SPX+NPS1.
        assertThat(plan.gpus()).extracting(GpuPlacement::computeMode).containsExactly("SPX", "SPX");
        assertThat(names(plan.gpus().get(0).partitions().get(0))).containsExactlyInAnyOrder("mixtral", "qwen-32b");
        assertThat(names(plan.gpus().get(1).partitions().get(0))).containsExactly("llama-8b");
        assertFits(plan);
    }

    @Test
    void llama70bInFp16IsRejectedForA48GibPartitionWithHowMuchItIsShort() {
        GpuNode qpx = GpuNode.parse("", "mi300x:1:qpx", ModeSupport.DOCUMENTED);

        PlacementPlan plan = planner.plan(List.of(llama70bFp16(Priority.HIGH), llama8b("llama-8b", Priority.LOW)),
                List.of(qpx));

        assertThat(plan.rejections()).singleElement().satisfies(r -> {
            assertThat(r.model()).isEqualTo("llama-70b");
            // 141.1 GB of fp16 weights + one 8192-token sequence (2.5 GiB) against 48 GiB x 0.90.
            assertThat(r.neededBytes()).isEqualTo(2 * 70_553_706_496L + 8192L * 327_680);
            assertThat(r.shortBytes()).isEqualTo(r.neededBytes() - (long) Math.floor(48 * GIB * 0.9));
            assertThat(r.reason()).isEqualTo("llama-70b needs 133.9 GiB (weights 131.4 GiB + KV floor 2.5 GiB) but "
                    + "the largest partition available, MI300X QPX+NPS1 with 48.0 GiB, holds 43.2 GiB at "
                    + "gpu-memory-utilization 0.90: 90.7 GiB short; use a larger partition, a smaller dtype or a "
                    + "lower KV floor");
        });
        assertThat(plan.placed()).extracting(ModelSlot::model).containsExactly("llama-8b");
        assertThat(plan.gpus().get(0).computeMode()).isEqualTo("QPX");
        assertFits(plan);
    }

    @Test
    void llama70bInFp16FitsAnSpxPartitionWhenTheModeIsFree() {
        PlacementPlan plan = planner.plan(List.of(llama70bFp16(Priority.HIGH)), List.of(GpuNode.of(GpuModel.MI300X, 1)));

        assertThat(plan.rejections()).isEmpty();
        assertThat(plan.gpus().get(0).computeMode()).isEqualTo("SPX");
        assertFits(plan);
    }

    @Test
    void aModelOverEvenTheLargestPartitionIsRejectedBeforePacking() {
        ModelDemand fp32 = ModelConfigs.demand("llama-70b-fp32", LLAMA_70B, WeightDtype.FP32, null, Priority.MEDIUM);

        PlacementPlan plan = planner.plan(List.of(fp32), List.of(GpuNode.of(GpuModel.MI300X, 8)));

        assertThat(plan.rejections()).singleElement().satisfies(r -> assertThat(r.reason())
                .startsWith("llama-70b-fp32 needs 267.8 GiB (weights 262.8 GiB + KV floor 5.0 GiB) but the largest "
                        + "partition available, MI300X SPX+NPS1 with 192.0 GiB, holds 172.8 GiB")
                .contains(": 95.0 GiB short;"));
        assertThat(plan.placed()).isEmpty();
    }

    @Test
    void modelsThatFitAloneButFindNoRoomAreRejectedAndHighOnesKept() {
        List<ModelDemand> models = List.of(llama70bFp16(Priority.HIGH), mixtral(Priority.LOW), qwen32b(Priority.LOW));

        PlacementPlan plan = planner.plan(models, List.of(GpuNode.of(GpuModel.MI300X, 1)));

        assertThat(plan.placed()).extracting(ModelSlot::model).containsExactly("llama-70b");
        assertThat(plan.rejections()).extracting(Rejection::model).containsExactly("mixtral", "qwen-32b");
        assertThat(plan.rejections().get(0).reason()).isEqualTo("mixtral needs 89.0 GiB (weights 87.0 GiB + KV floor "
                + "2.0 GiB); alone it would fit a MI300X SPX+NPS1 partition, but after the models placed before it "
                + "(largest first) the most any partition had free was 38.9 GiB: 50.1 GiB short; add GPUs or lower "
                + "KV floors");
        assertFits(plan);
    }

    @Test
    void previewModesAreUsedOnlyWhenAllowed() {
        List<ModelDemand> models = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            models.add(llama8b("llama-" + i, Priority.HIGH));
        }
        List<GpuNode> mi355x = List.of(GpuNode.of(GpuModel.MI355X, 1));

        PlacementPlan documented = planner.plan(models, mi355x);
        PlacementPlan preview = new PartitionPlanner(new PlanOptions(0.9, ModeSupport.PREVIEW)).plan(models, mi355x);

        assertThat(documented.gpus().get(0).computeMode()).isNotEqualTo("CPX");
        assertThat(documented.rejections()).isEmpty();
        // CPX (8 x 36 GiB) gives each HIGH model a partition of its own.
        assertThat(preview.gpus().get(0).computeMode() + "+" + preview.gpus().get(0).memoryMode()).isEqualTo("CPX+NPS1");
        assertThat(preview.gpus().get(0).partitions()).allSatisfy(p -> assertThat(p.models()).hasSize(1));
        assertFits(documented);
        assertFits(preview);
    }

    @Test
    void smallModelsShareOneLargePartitionUnlessOneIsHigh() {
        List<ModelDemand> medium = List.of(llama8b("a", Priority.MEDIUM), llama8b("b", Priority.MEDIUM),
                llama8b("c", Priority.MEDIUM));
        List<ModelDemand> oneHigh = List.of(llama8b("a", Priority.HIGH), llama8b("b", Priority.LOW),
                llama8b("c", Priority.LOW));
        List<GpuNode> one = List.of(GpuNode.of(GpuModel.MI300X, 1));

        // Partitioning is no win by itself: one SPX partition keeps the pressure lowest (57/192).
        assertThat(planner.plan(medium, one).gpus().get(0).computeMode()).isEqualTo("SPX");
        PlacementPlan high = planner.plan(oneHigh, one);
        GpuPlacement gpu = high.gpus().get(0);
        assertThat(gpu.computeMode()).isEqualTo("DPX");
        assertThat(gpu.partitionOf("a").orElseThrow().models()).hasSize(1);
        assertFits(high);
    }

    @Test
    void idleGpusStayIdleAndKvBudgetFillsTheUsableShare() {
        PlacementPlan plan = planner.plan(List.of(llama8b("llama", Priority.MEDIUM)), List.of(GpuNode.of(GpuModel.MI300X, 4)));

        NodePlacement node = plan.nodes().get(0);
        assertThat(node.idle(0)).isFalse();
        assertThat(node.idle(1)).isTrue();
        assertThat(node.idle(3)).isTrue();
        ModelSlot slot = plan.placed().get(0);
        assertThat(slot.kvFloorBytes()).isEqualTo(4 * GIB);
        assertThat(slot.memoryBytes()).isEqualTo((long) Math.floor(192 * GIB * 0.9));
    }

    @Test
    void spareMemoryIsSharedInProportionToTheFloors() {
        ModelDemand small = new ModelDemand("small", Priority.LOW, 10 * GIB, GIB, "test");
        ModelDemand large = new ModelDemand("large", Priority.LOW, 10 * GIB, 3 * GIB, "test");

        List<ModelSlot> slots = PartitionPlanner.slots(List.of(small, large), 40 * GIB);

        // 40 - 24 = 16 GiB spare: 4 to the 1 GiB floor, 12 to the 3 GiB floor.
        assertThat(slots).extracting(ModelSlot::kvBudgetBytes).containsExactly(5 * GIB, 15 * GIB);
    }

    @Test
    void badRequestsAreRefusedWithAReason() {
        List<GpuNode> one = List.of(GpuNode.of(GpuModel.MI300X, 1));
        ModelDemand a = llama8b("a", Priority.LOW);

        assertThatThrownBy(() -> planner.plan(List.of(), one)).hasMessage("nothing to plan: give at least one model");
        assertThatThrownBy(() -> planner.plan(List.of(a), List.of())).hasMessage("nothing to plan on: give at least one GPU");
        assertThatThrownBy(() -> planner.plan(List.of(a, a), one)).hasMessage("model a is given twice");
        assertThatThrownBy(() -> GpuNode.parse("", "mi300x:8:spx+nps4", ModeSupport.PREVIEW))
                .hasMessageStartingWith("SPX+NPS4 is not a valid partition mode");
        assertThatThrownBy(() -> GpuNode.parse("", "mi300x:eight", ModeSupport.PREVIEW))
                .hasMessage("GPUs 'mi300x:eight': count 'eight' is not a whole number");
        assertThatThrownBy(() -> GpuNode.parse("", "mi300x:17", ModeSupport.PREVIEW))
                .hasMessage("a node has 1 to 16 GPUs, got 17");
    }

    @Test
    void manyNodesAreSearchedNodeByNodeAndStillNeverOverfill() {
        List<ModelDemand> models = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            models.add(llama8b("llama-" + i, i % 3 == 0 ? Priority.HIGH : Priority.LOW));
        }
        models.add(qwen32b(Priority.HIGH));
        models.add(mixtral(Priority.MEDIUM));
        List<GpuNode> nodes = List.of(new GpuNode("n0", GpuModel.MI300X, 8, Optional.empty()),
                new GpuNode("n1", GpuModel.MI300X, 8, Optional.empty()),
                new GpuNode("n2", GpuModel.MI355X, 8, Optional.empty()));

        PlacementPlan plan = planner.plan(models, nodes);

        assertThat(plan.rejections()).isEmpty();
        assertThat(plan.placed()).hasSize(models.size());
        assertThat(plan.gpus().get(8).gpuId()).isEqualTo("n1/gpu0");
        // Eight models on 24 GPUs: every HIGH model gets a partition to itself.
        for (GpuPlacement gpu : plan.gpus()) {
            for (PartitionSlot p : gpu.partitions()) {
                if (p.models().stream().anyMatch(m -> m.priority() == Priority.HIGH)) {
                    assertThat(p.models()).hasSize(1);
                }
            }
        }
        assertFits(plan);
    }

    /** No partition holds more than it has, and within the usable share only weights plus floors count. */
    static void assertFits(PlacementPlan plan) {
        for (GpuPlacement gpu : plan.gpus()) {
            for (PartitionSlot p : gpu.partitions()) {
                assertThat(p.usedBytes()).isLessThanOrEqualTo(p.memoryBytes());
                assertThat(p.usedBytes()).isLessThanOrEqualTo(plan.options().usableBytes(p.memoryBytes()));
                assertThat(p.models()).allSatisfy(m -> assertThat(m.kvBudgetBytes()).isGreaterThanOrEqualTo(m.kvFloorBytes()));
            }
        }
    }

    private static List<String> names(PartitionSlot p) {
        return p.models().stream().map(ModelSlot::model).toList();
    }
}
