package dev.aimnext.operators.qos.plan;

import dev.aimnext.operators.finetune.profile.model.WeightDtype;
import dev.aimnext.operators.qos.placement.Priority;
import dev.aimnext.operators.qos.plan.hardware.ModeSupport;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The plan as printed: modes, partitions, models with their memory, idle GPUs and rejections. */
class PlanReportTest {

    @Test
    void printsModesPartitionsModelsIdleGpusAndRejections() {
        List<ModelDemand> models = List.of(
                ModelConfigs.demand("llama-8b", ModelConfigs.LLAMA_8B, WeightDtype.BF16, KvFloor.ofSequences(8192, 4),
                        Priority.HIGH),
                ModelConfigs.demand("llama-8b-batch", ModelConfigs.LLAMA_8B, WeightDtype.BF16,
                        KvFloor.ofSequences(8192, 4), Priority.LOW),
                ModelConfigs.demand("qwen-32b", ModelConfigs.QWEN_32B, WeightDtype.BF16, KvFloor.ofSequences(8192, 2),
                        Priority.MEDIUM));
        GpuNode qpx = GpuNode.parse("", "mi300x:2:qpx", ModeSupport.DOCUMENTED);

        String report = PlanReport.format(new PartitionPlanner(PlanOptions.DEFAULT).plan(models, List.of(qpx)));

        assertThat(report).isEqualTo("""
                aim plan: 2 of 3 models placed on 2 GPUs, best of 1 mode set-up (modes allowed: up to documented)
                gpu0  MI300X QPX+NPS1 (documented)  4 x 48.0 GiB, 2 XCDs each
                  gpu0/p0        compute 0.250  pressure 0.39
                    llama-8b             HIGH   weights 15.0 GiB  KV floor 4.0 GiB  KV budget 28.2 GiB
                  gpu0/p1        compute 0.250  pressure 0.39
                    llama-8b-batch       LOW    weights 15.0 GiB  KV floor 4.0 GiB  KV budget 28.2 GiB
                  gpu0/p2        empty
                  gpu0/p3        empty
                gpu1  MI300X  idle: skipped in the DCM profile, keeps its current mode
                rejected:
                  qwen-32b (MEDIUM): qwen-32b needs 65.0 GiB (weights 61.0 GiB + KV floor 4.0 GiB) but the largest \
                partition available, MI300X QPX+NPS1 with 48.0 GiB, holds 43.2 GiB at gpu-memory-utilization 0.90: \
                21.8 GiB short; use a larger partition, a smaller dtype or a lower KV floor
                max memory pressure 0.39 (weights + KV floors over partition memory; models may hold 0.90 of each \
                partition)
                """);
    }
}
